package au.edu.unimelb.reporting.ops.release;

import au.edu.unimelb.reporting.ops.engine.RunEnd;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;

import org.springframework.stereotype.Component;

/**
 * The start listener of every end event that ends a release ({@code EndEvent_Released},
 * {@code EndEvent_Rejected}, {@code EndEvent_Expired}, ...): writes {@code outcome} as
 * {@link ReleaseProcess#OUTCOMES} says, so that the model names no outcome.
 */
@Component("releaseOutcome")
class ReleaseOutcomeListener implements ExecutionListener {

	@Override
	public void notify(DelegateExecution execution) {
		RunEnd.reached(execution, ReleaseProcess.OUTCOMES);
	}

}
