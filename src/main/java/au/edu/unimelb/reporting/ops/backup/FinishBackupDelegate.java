package au.edu.unimelb.reporting.ops.backup;

import java.util.List;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.backup.NightlyBackupProcess.DAILY_VERIFIED;
import static au.edu.unimelb.reporting.ops.backup.NightlyBackupProcess.FAILURE_REASON;
import static au.edu.unimelb.reporting.ops.backup.NightlyBackupProcess.FOR_RELEASE;
import static au.edu.unimelb.reporting.ops.backup.NightlyBackupProcess.OUTCOME;
import static au.edu.unimelb.reporting.ops.backup.NightlyBackupProcess.QA_RESTORE_NEXT;
import static au.edu.unimelb.reporting.ops.backup.NightlyBackupProcess.TIERS;

/**
 * {@code Task_FinishBackup} (after the tiers, or after a failed dump, whose reason is in
 * {@code failureReason}): decides the outcome, closes the record, deletes the staging
 * folder and releases the lock unless a QA restore takes it over; then tells the
 * {@link NightReport}s. Writes {@code outcome}, {@code failureReason},
 * {@code dailyVerified} and {@code qaRestoreNext}.
 */
@Component("finishBackup")
class FinishBackupDelegate implements JavaDelegate {

	private final BackupService backup;

	private final NightReports reports;

	FinishBackupDelegate(BackupService backup, NightReports reports) {
		this.backup = backup;
		this.reports = reports;
	}

	@Override
	public void execute(DelegateExecution execution) {
		List<String> tiers = List.of(((String) execution.getVariable(TIERS)).split(","));
		boolean forRelease = Boolean.TRUE.equals(execution.getVariable(FOR_RELEASE));
		BackupService.NightEnd end = this.backup.endNight(execution.getProcessInstanceId(), tiers,
				(String) execution.getVariable(FAILURE_REASON), forRelease);
		execution.setVariable(OUTCOME, end.outcome());
		execution.setVariable(FAILURE_REASON, end.detail());
		execution.setVariable(DAILY_VERIFIED, end.dailyVerified());
		execution.setVariable(QA_RESTORE_NEXT, end.qaRestoreNext());
		this.reports
			.tell(new NightReport.Night(execution.getProcessInstanceId(), end.outcome(), end.detail(), forRelease));
	}

}
