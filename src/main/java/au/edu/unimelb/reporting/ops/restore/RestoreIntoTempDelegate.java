package au.edu.unimelb.reporting.ops.restore;

import au.edu.unimelb.reporting.ops.nightly.StepErrors;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

import org.springframework.stereotype.Component;

/**
 * {@code Task_RestoreIntoTemp}: a fresh temporary database, and {@code pg_restore -j}
 * into it. The database is the run's own, named from its id (the {@code tempDatabase}
 * variable is for people to read, never read back).
 */
@Component("restoreIntoTemp")
class RestoreIntoTempDelegate implements JavaDelegate {

	private final QaRestoreService restore;

	RestoreIntoTempDelegate(QaRestoreService restore) {
		this.restore = restore;
	}

	@Override
	public void execute(DelegateExecution execution) {
		StepErrors.run(execution, () -> this.restore.restoreIntoTemp(execution.getProcessInstanceId()));
	}

}
