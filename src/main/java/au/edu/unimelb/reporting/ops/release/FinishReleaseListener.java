package au.edu.unimelb.reporting.ops.release;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;

import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.release.ReleaseProcess.FAILURE_REASON;
import static au.edu.unimelb.reporting.ops.release.ReleaseProcess.OUTCOME;
import static au.edu.unimelb.reporting.ops.release.ReleaseProcess.UAT_MESSAGE;

/**
 * The end listener of release: however it ends (released, rejected, expired, a failed
 * deploy, cancelled in Cockpit) it closes the record with the outcome and the reason and
 * releases the release lock, in the same transaction.
 */
@Component("finishRelease")
class FinishReleaseListener implements ExecutionListener {

	private final ReleaseService releases;

	FinishReleaseListener(ReleaseService releases) {
		this.releases = releases;
	}

	@Override
	public void notify(DelegateExecution execution) {
		Object outcome = execution.getVariable(OUTCOME);
		Object reason = execution.getVariable(FAILURE_REASON);
		Object uat = execution.getVariable(UAT_MESSAGE);
		String detail = (reason != null) ? reason.toString() : (uat != null) ? uat.toString() : null;
		this.releases.finish(execution.getProcessInstanceId(), (outcome != null) ? outcome.toString() : "CANCELLED",
				(detail != null) ? detail : ((outcome == null) ? "cancelled before it finished" : null));
	}

}
