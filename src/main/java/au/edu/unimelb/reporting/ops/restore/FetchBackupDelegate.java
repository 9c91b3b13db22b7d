package au.edu.unimelb.reporting.ops.restore;

import java.time.Instant;

import au.edu.unimelb.reporting.ops.nightly.StepErrors;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.restore.QaRestoreProcess.BACKUP_RUN;
import static au.edu.unimelb.reporting.ops.restore.QaRestoreProcess.BACKUP_TIME;

/**
 * {@code Task_FetchBackup}: {@code duplicity restore} of the newest daily set; its time
 * is QA's as-of time ({@code backupTime}).
 */
@Component("fetchBackup")
class FetchBackupDelegate implements JavaDelegate {

	private final QaRestoreService restore;

	FetchBackupDelegate(QaRestoreService restore) {
		this.restore = restore;
	}

	@Override
	public void execute(DelegateExecution execution) {
		Instant backupTime = StepErrors.run(execution,
				() -> this.restore.fetch(execution.getProcessInstanceId(), (String) execution.getVariable(BACKUP_RUN)));
		execution.setVariable(BACKUP_TIME, backupTime.toString());
	}

}
