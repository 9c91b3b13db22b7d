package au.edu.unimelb.reporting.ops.restore;

import au.edu.unimelb.reporting.ops.nightly.StepErrors;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

import org.springframework.stereotype.Component;

/**
 * {@code Task_CompareWithBackup}: every table of the dump is there with the row count the
 * backup recorded; the summary goes into {@code comparison}.
 */
@Component("compareWithBackup")
class CompareWithBackupDelegate implements JavaDelegate {

	private final QaRestoreService restore;

	CompareWithBackupDelegate(QaRestoreService restore) {
		this.restore = restore;
	}

	@Override
	public void execute(DelegateExecution execution) {
		String summary = StepErrors.run(execution, () -> this.restore.compare(execution.getProcessInstanceId()));
		execution.setVariable("comparison", summary);
	}

}
