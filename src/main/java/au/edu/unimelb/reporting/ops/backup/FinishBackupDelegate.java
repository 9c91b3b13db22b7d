package au.edu.unimelb.reporting.ops.backup;

import java.util.List;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.backup.NightlyBackupProcess.DAILY_VERIFIED;
import static au.edu.unimelb.reporting.ops.backup.NightlyBackupProcess.FAILURE_REASON;
import static au.edu.unimelb.reporting.ops.backup.NightlyBackupProcess.INCOMPLETE;
import static au.edu.unimelb.reporting.ops.backup.NightlyBackupProcess.OUTCOME;
import static au.edu.unimelb.reporting.ops.backup.NightlyBackupProcess.TIERS;

/**
 * {@code Task_FinishBackup}: decides the outcome from which tiers verified; the process's
 * end listener then closes the record, deletes the staging folder and releases the lock.
 */
@Component("finishBackup")
class FinishBackupDelegate implements JavaDelegate {

	private final BackupService backup;

	FinishBackupDelegate(BackupService backup) {
		this.backup = backup;
	}

	@Override
	public void execute(DelegateExecution execution) {
		List<String> tiers = List.of(((String) execution.getVariable(TIERS)).split(","));
		String outcome = this.backup.outcome(execution.getProcessInstanceId(), tiers);
		execution.setVariable(OUTCOME, outcome);
		execution.setVariable(DAILY_VERIFIED, this.backup.verified(execution.getProcessInstanceId(), "daily"));
		if (INCOMPLETE.equals(outcome)) {
			execution.setVariable(FAILURE_REASON, "Not every tier was verified: " + tiers);
		}
	}

}
