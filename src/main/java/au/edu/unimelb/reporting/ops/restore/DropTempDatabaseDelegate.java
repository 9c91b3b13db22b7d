package au.edu.unimelb.reporting.ops.restore;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.backup.NightlyBackupProcess.TEMP_DATABASE;

/**
 * {@code Task_DropTempDatabase}: the failure path: drops the temporary database; QA was
 * never touched.
 */
@Component("dropTempDatabase")
class DropTempDatabaseDelegate implements JavaDelegate {

	private final QaRestoreService restore;

	DropTempDatabaseDelegate(QaRestoreService restore) {
		this.restore = restore;
	}

	@Override
	public void execute(DelegateExecution execution) {
		this.restore.dropTemp((String) execution.getVariable(TEMP_DATABASE));
	}

}
