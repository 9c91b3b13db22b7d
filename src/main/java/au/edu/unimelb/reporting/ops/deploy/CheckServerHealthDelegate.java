package au.edu.unimelb.reporting.ops.deploy;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.ENVIRONMENT;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.HEALTH_DEADLINE;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.HEALTH_STATE;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.SERVER_ADDRESS;

/**
 * {@code Task_CheckHealth} and {@code Task_CheckTargetHealth}: probes the server at
 * {@code serverAddress} before any traffic goes to it; writes {@code healthState} (READY,
 * PENDING, FAILED) and, on failure, {@code failureReason}.
 */
@Component("checkServerHealth")
class CheckServerHealthDelegate implements JavaDelegate {

	private final HealthChecks health;

	private final DeploySettings settings;

	CheckServerHealthDelegate(HealthChecks health, DeploySettings settings) {
		this.health = health;
		this.settings = settings;
	}

	@Override
	public void execute(DelegateExecution execution) {
		Check check = this.health.checkServer((String) execution.getVariable(ENVIRONMENT),
				(String) execution.getVariable(SERVER_ADDRESS), Waits.deadline(execution, HEALTH_DEADLINE));
		Waits.record(execution, HEALTH_STATE, check, this.settings);
	}

}
