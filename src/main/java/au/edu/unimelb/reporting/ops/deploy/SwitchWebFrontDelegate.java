package au.edu.unimelb.reporting.ops.deploy;

import java.time.Instant;

import au.edu.unimelb.reporting.ops.webfront.SwitchResult;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.ENVIRONMENT;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.PREVIOUS_ADDRESS;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.PUBLIC_DEADLINE;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.SERVER_ADDRESS;

/**
 * {@code Task_SwitchWebFront}: points the environment's web front at
 * {@code serverAddress}, which passed its health check; writes {@code previousAddress}
 * and {@code publicDeadline}. A failed switch leaves the old target (the switch script
 * restores it) and raises an incident after the retries.
 */
@Component("switchWebFront")
class SwitchWebFrontDelegate implements JavaDelegate {

	private final DeployService deploy;

	SwitchWebFrontDelegate(DeployService deploy) {
		this.deploy = deploy;
	}

	@Override
	public void execute(DelegateExecution execution) {
		SwitchResult result = this.deploy.switchTo(execution.getProcessInstanceId(),
				(String) execution.getVariable(ENVIRONMENT), (String) execution.getVariable(SERVER_ADDRESS));
		// A repeated try after a crash finds the switch done; keep the address served
		// before the first try.
		if (result.changed() || !execution.hasVariable(PREVIOUS_ADDRESS)) {
			execution.setVariable(PREVIOUS_ADDRESS, result.previous());
		}
		Waits.setDeadline(execution, PUBLIC_DEADLINE, Instant.now().plus(this.deploy.settings().publicCheckTimeout()));
		Waits.reset(execution);
	}

}
