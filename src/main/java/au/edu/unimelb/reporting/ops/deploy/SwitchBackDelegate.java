package au.edu.unimelb.reporting.ops.deploy;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.ENVIRONMENT;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.PREVIOUS_ADDRESS;

/**
 * {@code Task_SwitchBack}: the new build failed its check through the web front, so the
 * web front goes back to {@code previousAddress}.
 */
@Component("switchBack")
class SwitchBackDelegate implements JavaDelegate {

	private final DeployService deploy;

	SwitchBackDelegate(DeployService deploy) {
		this.deploy = deploy;
	}

	@Override
	public void execute(DelegateExecution execution) {
		this.deploy.switchBack(execution.getProcessInstanceId(), (String) execution.getVariable(ENVIRONMENT),
				(String) execution.getVariable(PREVIOUS_ADDRESS));
	}

}
