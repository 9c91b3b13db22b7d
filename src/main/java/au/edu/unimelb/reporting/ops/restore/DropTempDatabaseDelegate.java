package au.edu.unimelb.reporting.ops.restore;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

import org.springframework.stereotype.Component;

/**
 * {@code Task_DropTempDatabase}: the failure path: drops the run's temporary database
 * (named from the run's id, never from the editable {@code tempDatabase} variable); QA
 * was never touched.
 */
@Component("dropTempDatabase")
class DropTempDatabaseDelegate implements JavaDelegate {

	private final QaRestoreService restore;

	DropTempDatabaseDelegate(QaRestoreService restore) {
		this.restore = restore;
	}

	@Override
	public void execute(DelegateExecution execution) {
		this.restore.dropTemp(execution.getProcessInstanceId());
	}

}
