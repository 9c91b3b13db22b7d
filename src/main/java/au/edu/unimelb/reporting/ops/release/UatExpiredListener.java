package au.edu.unimelb.reporting.ops.release;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;

import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.release.ReleaseProcess.BUILD;
import static au.edu.unimelb.reporting.ops.release.ReleaseProcess.FAILURE_REASON;

/**
 * The start listener of {@code EndEvent_Expired}: writes {@code failureReason}, which
 * says whether nobody answered or how many of the required approvals came (from the
 * release's record).
 */
@Component("uatExpired")
class UatExpiredListener implements ExecutionListener {

	private final ReleaseService releases;

	UatExpiredListener(ReleaseService releases) {
		this.releases = releases;
	}

	@Override
	public void notify(DelegateExecution execution) {
		execution.setVariable(FAILURE_REASON,
				this.releases.expiredReason(execution.getProcessInstanceId(), (String) execution.getVariable(BUILD)));
	}

}
