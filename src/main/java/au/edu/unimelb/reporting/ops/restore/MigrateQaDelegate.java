package au.edu.unimelb.reporting.ops.restore;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

import org.springframework.stereotype.Component;

/**
 * {@code Task_MigrateQa}: QA's migrations over SSH. A failure is retried, then raises an
 * incident; QA keeps the restored data and a retry in Cockpit runs them again.
 */
@Component("migrateQa")
class MigrateQaDelegate implements JavaDelegate {

	private final QaMigrations migrations;

	MigrateQaDelegate(QaMigrations migrations) {
		this.migrations = migrations;
	}

	@Override
	public void execute(DelegateExecution execution) {
		this.migrations.migrate(execution.getProcessInstanceId());
	}

}
