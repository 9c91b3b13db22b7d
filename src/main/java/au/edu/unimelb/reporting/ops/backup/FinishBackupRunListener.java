package au.edu.unimelb.reporting.ops.backup;

import au.edu.unimelb.reporting.ops.engine.RunEnd;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;

import org.springframework.stereotype.Component;

/**
 * The end listener of nightly-backup: however the run ends (an end event, an error,
 * cancelled in Cockpit; see {@link RunEnd}: a run stopped after a failed step ended
 * {@code FAILED}) it closes the run's record, deletes its staging folder and releases the
 * backup lock, in the same transaction.
 */
@Component("finishBackupRun")
class FinishBackupRunListener implements ExecutionListener {

	private final BackupService backup;

	FinishBackupRunListener(BackupService backup) {
		this.backup = backup;
	}

	@Override
	public void notify(DelegateExecution execution) {
		RunEnd end = RunEnd.of(execution);
		this.backup.finish(execution.getProcessInstanceId(), end.outcome(), end.detail());
	}

}
