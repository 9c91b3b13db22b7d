package au.edu.unimelb.reporting.ops.deploy;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.BUILD;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.ENVIRONMENT;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.INITIATOR;

/**
 * {@code Task_AcceptRequest} (synchronous, in the starting transaction): checks
 * {@code environment} and {@code build}, takes the environment's lock, opens the
 * deployment record. A refusal starts nothing and answers the REST caller with 400 or
 * 409.
 */
@Component("acceptDeployRequest")
class AcceptDeployRequestDelegate implements JavaDelegate {

	private final DeployService deploy;

	AcceptDeployRequestDelegate(DeployService deploy) {
		this.deploy = deploy;
	}

	@Override
	public void execute(DelegateExecution execution) {
		this.deploy.acceptDeploy(execution.getProcessInstanceId(), (String) execution.getVariable(ENVIRONMENT),
				(String) execution.getVariable(BUILD), (String) execution.getVariable(INITIATOR));
	}

}
