package au.edu.unimelb.reporting.ops.deploy;

import au.edu.unimelb.reporting.ops.engine.RunEnd;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;

import org.springframework.stereotype.Component;

/**
 * The start listener of the end events of deploy-replace ({@code EndEvent_Deployed},
 * {@code EndEvent_DeployFailed}) and rollback ({@code EndEvent_RolledBack},
 * {@code EndEvent_RollbackRefused}): writes {@code outcome} as
 * {@link DeployReplaceProcess#OUTCOMES} says, so that the models name no outcome.
 */
@Component("deployOutcome")
class DeployOutcomeListener implements ExecutionListener {

	@Override
	public void notify(DelegateExecution execution) {
		RunEnd.reached(execution, DeployReplaceProcess.OUTCOMES);
	}

}
