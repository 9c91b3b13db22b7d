package au.edu.unimelb.reporting.ops.release;

import java.time.Instant;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.release.ReleaseProcess.BACKUP_CHECK;
import static au.edu.unimelb.reporting.ops.release.ReleaseProcess.BACKUP_STATE;
import static au.edu.unimelb.reporting.ops.release.ReleaseProcess.BACKUP_WAITING_SINCE;
import static au.edu.unimelb.reporting.ops.release.ReleaseProcess.BUILD;

/**
 * {@code Task_CheckProdBackup}: is the last verified Prod backup younger than
 * {@code ops.release.max-backup-age}? Writes {@code backupState} ({@code FRESH}: on to
 * Prod; {@code STALE}: the release takes a fresh backup; {@code BUSY}: a backup or QA
 * restore runs, wait and check again) and {@code backupCheck} (what it found).
 */
@Component("checkProdBackup")
class CheckProdBackupDelegate implements JavaDelegate {

	private final ProdBackupCheck backups;

	CheckProdBackupDelegate(ProdBackupCheck backups) {
		this.backups = backups;
	}

	@Override
	public void execute(DelegateExecution execution) {
		Object since = execution.getVariable(BACKUP_WAITING_SINCE);
		ProdBackupCheck.BackupCheck check = this.backups.check((String) execution.getVariable(BUILD),
				(since != null) ? Instant.parse(since.toString()) : null);
		if (ReleaseProcess.BACKUP_BUSY.equals(check.state()) && since == null) {
			execution.setVariable(BACKUP_WAITING_SINCE, Instant.now().toString());
		}
		execution.setVariable(BACKUP_STATE, check.state());
		execution.setVariable(BACKUP_CHECK, check.detail());
	}

}
