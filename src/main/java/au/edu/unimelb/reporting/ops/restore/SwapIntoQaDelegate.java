package au.edu.unimelb.reporting.ops.restore;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

import org.springframework.stereotype.Component;

/**
 * {@code Task_SwapIntoQa}: the temporary database takes QA's name in one transaction; the
 * old QA is dropped. Safe to repeat.
 */
@Component("swapIntoQa")
class SwapIntoQaDelegate implements JavaDelegate {

	private final QaRestoreService restore;

	SwapIntoQaDelegate(QaRestoreService restore) {
		this.restore = restore;
	}

	@Override
	public void execute(DelegateExecution execution) {
		this.restore.swapIntoQa(execution.getProcessInstanceId());
	}

}
