package au.edu.unimelb.reporting.ops.backup;

import java.util.Map;

import au.edu.unimelb.reporting.ops.restore.QaRestoreProcess;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.runtime.ProcessInstance;

import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.backup.NightlyBackupProcess.QA_RESTORE_RUN;

/**
 * {@code Task_StartQaRestore}: hands the backup lock over to a new {@code qa-restore}
 * run, in one transaction (the lock is never free in between for anyone else to take
 * unseen, and a refused restore rolls the release back).
 */
@Component("startQaRestore")
class StartQaRestoreDelegate implements JavaDelegate {

	private final BackupService backup;

	private final RuntimeService runtime;

	StartQaRestoreDelegate(BackupService backup, RuntimeService runtime) {
		this.backup = backup;
		this.runtime = runtime;
	}

	@Override
	public void execute(DelegateExecution execution) {
		this.backup.handOverLock(execution.getProcessInstanceId());
		ProcessInstance restore = this.runtime.startProcessInstanceByKey(QaRestoreProcess.KEY,
				Map.of(QaRestoreProcess.BACKUP_RUN, execution.getProcessInstanceId()));
		execution.setVariable(QA_RESTORE_RUN, restore.getId());
	}

}
