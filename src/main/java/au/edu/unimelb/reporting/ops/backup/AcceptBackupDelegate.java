package au.edu.unimelb.reporting.ops.backup;

import java.time.Instant;
import java.util.List;

import au.edu.unimelb.reporting.ops.engine.RequestRefusedException;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.backup.NightlyBackupProcess.FAILURE_REASON;
import static au.edu.unimelb.reporting.ops.backup.NightlyBackupProcess.INITIATOR;
import static au.edu.unimelb.reporting.ops.backup.NightlyBackupProcess.OUTCOME;
import static au.edu.unimelb.reporting.ops.backup.NightlyBackupProcess.RUN_STARTED_AT;
import static au.edu.unimelb.reporting.ops.backup.NightlyBackupProcess.SKIPPED;
import static au.edu.unimelb.reporting.ops.backup.NightlyBackupProcess.TIERS;

/**
 * {@code Task_AcceptBackup} (synchronous, in the starting transaction or the timer's
 * job): checks that backups are on, takes the Prod database's backup lock, opens the
 * run's record and picks tonight's tiers. A refusal starts nothing (400 or 409 to a REST
 * caller); a refused nightly run ends as skipped, with the reason in its record.
 */
@Component("acceptBackup")
class AcceptBackupDelegate implements JavaDelegate {

	private final BackupService backup;

	AcceptBackupDelegate(BackupService backup) {
		this.backup = backup;
	}

	@Override
	public void execute(DelegateExecution execution) {
		Instant startedAt = Instant.now();
		Object initiator = execution.getVariable(INITIATOR);
		execution.setVariable(RUN_STARTED_AT, startedAt.toString());
		if (initiator != null) {
			List<String> tiers = this.backup.acceptBackup(execution.getProcessInstanceId(), initiator.toString(),
					startedAt);
			execution.setVariable(TIERS, String.join(",", tiers));
			return;
		}
		try {
			List<String> tiers = this.backup.acceptBackup(execution.getProcessInstanceId(), "timer", startedAt);
			execution.setVariable(TIERS, String.join(",", tiers));
		}
		catch (RequestRefusedException refused) {
			// The nightly timer: a refusal must not fail the timer's job (that would stop
			// every later night), so the run ends as skipped, with the reason.
			this.backup.skip(execution.getProcessInstanceId(), refused.getMessage());
			execution.setVariable(TIERS, "");
			execution.setVariable(OUTCOME, SKIPPED);
			execution.setVariable(FAILURE_REASON, refused.getMessage());
		}
	}

}
