package au.edu.unimelb.reporting.ops.deploy;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;

import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.ENVIRONMENT;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.FAILURE_REASON;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.OUTCOME;

/**
 * The end listener of deploy-replace and rollback: however the run ends (an end event, an
 * error, cancelled in Cockpit), it closes the deployment record with {@code outcome} and
 * {@code failureReason} and releases the environment's lock, in the same transaction.
 */
@Component("finishRun")
class FinishRunListener implements ExecutionListener {

	private final DeployService deploy;

	FinishRunListener(DeployService deploy) {
		this.deploy = deploy;
	}

	@Override
	public void notify(DelegateExecution execution) {
		this.deploy.finish(execution.getProcessInstanceId(), (String) execution.getVariable(ENVIRONMENT),
				(String) execution.getVariable(OUTCOME), (String) execution.getVariable(FAILURE_REASON));
	}

}
