package au.edu.unimelb.reporting.ops.deploy;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.ENVIRONMENT;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.STACK_NAME;

/**
 * {@code Task_AllocateStackName}: picks the next stack name under the environment's lock;
 * writes {@code stackName}.
 */
@Component("allocateStackName")
class AllocateStackNameDelegate implements JavaDelegate {

	private final DeployService deploy;

	AllocateStackNameDelegate(DeployService deploy) {
		this.deploy = deploy;
	}

	@Override
	public void execute(DelegateExecution execution) {
		execution.setVariable(STACK_NAME, this.deploy.allocateStackName((String) execution.getVariable(ENVIRONMENT)));
	}

}
