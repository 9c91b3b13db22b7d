package au.edu.unimelb.reporting.ops.release;

import au.edu.unimelb.reporting.ops.engine.RunEnd;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;

import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.release.ReleaseProcess.UAT_MESSAGE;

/**
 * The end listener of release: however it ends (released, rejected, expired, a failed
 * deploy, cancelled in Cockpit; see {@link RunEnd}) it closes the record with the outcome
 * and the reason, else the UAT decision's message, and releases the release lock, in the
 * same transaction.
 */
@Component("finishRelease")
class FinishReleaseListener implements ExecutionListener {

	private final ReleaseService releases;

	FinishReleaseListener(ReleaseService releases) {
		this.releases = releases;
	}

	@Override
	public void notify(DelegateExecution execution) {
		RunEnd end = RunEnd.of(execution);
		Object uat = execution.getVariable(UAT_MESSAGE);
		this.releases.finish(execution.getProcessInstanceId(), end.outcome(),
				end.detail((uat != null) ? uat.toString() : null));
	}

}
