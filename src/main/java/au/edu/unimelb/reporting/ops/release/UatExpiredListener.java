package au.edu.unimelb.reporting.ops.release;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;

import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.release.ReleaseProcess.BUILD;
import static au.edu.unimelb.reporting.ops.release.ReleaseProcess.FAILURE_REASON;

/**
 * The start listener of {@code EndEvent_Expired}: writes {@code failureReason}, which
 * says whether nobody answered or how many of the required approvals came (from the
 * release's record); the testers and the release's starter and requester are told.
 */
@Component("uatExpired")
class UatExpiredListener implements ExecutionListener {

	private final ReleaseService releases;

	private final ReleaseNotices notices;

	private final ReleaseMetrics metrics;

	UatExpiredListener(ReleaseService releases, ReleaseNotices notices, ReleaseMetrics metrics) {
		this.releases = releases;
		this.notices = notices;
		this.metrics = metrics;
	}

	@Override
	public void notify(DelegateExecution execution) {
		String reason = this.releases.expiredReason(execution.getProcessInstanceId(),
				(String) execution.getVariable(BUILD));
		execution.setVariable(FAILURE_REASON, reason);
		this.notices.expired(execution, reason, execution.getProcessInstanceId());
		this.metrics.decided(ReleaseProcess.EXPIRED, ReleaseMetrics.qaDeployedAt(execution));
	}

}
