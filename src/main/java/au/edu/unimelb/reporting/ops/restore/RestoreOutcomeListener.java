package au.edu.unimelb.reporting.ops.restore;

import au.edu.unimelb.reporting.ops.engine.RunEnd;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;

import org.springframework.stereotype.Component;

/**
 * The start listener of qa-restore's {@code EndEvent_Restored}: writes {@code outcome} as
 * {@link QaRestoreProcess#OUTCOMES} says, so that the model names no outcome.
 */
@Component("restoreOutcome")
class RestoreOutcomeListener implements ExecutionListener {

	@Override
	public void notify(DelegateExecution execution) {
		RunEnd.reached(execution, QaRestoreProcess.OUTCOMES);
	}

}
