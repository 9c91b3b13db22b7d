package au.edu.unimelb.reporting.ops.backup;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;

import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.backup.NightlyBackupProcess.FAILED;
import static au.edu.unimelb.reporting.ops.backup.NightlyBackupProcess.FAILURE_REASON;
import static au.edu.unimelb.reporting.ops.backup.NightlyBackupProcess.OUTCOME;

/**
 * The end listener of nightly-backup: however the run ends (an end event, an error,
 * cancelled in Cockpit) it closes the run's record, deletes its staging folder and
 * releases the backup lock, in the same transaction.
 */
@Component("finishBackupRun")
class FinishBackupRunListener implements ExecutionListener {

	private final BackupService backup;

	FinishBackupRunListener(BackupService backup) {
		this.backup = backup;
	}

	@Override
	public void notify(DelegateExecution execution) {
		String reason = (String) execution.getVariable(FAILURE_REASON);
		this.backup.finish(execution.getProcessInstanceId(), outcome(execution, reason), (reason != null) ? reason
				: (execution.getVariable(OUTCOME) == null) ? "cancelled before it finished" : null);
	}

	static String outcome(DelegateExecution execution, String reason) {
		Object outcome = execution.getVariable(OUTCOME);
		if (outcome != null) {
			return outcome.toString();
		}
		return (reason != null) ? FAILED : "CANCELLED";
	}

}
