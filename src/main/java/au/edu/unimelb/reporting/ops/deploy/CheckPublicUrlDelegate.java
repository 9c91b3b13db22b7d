package au.edu.unimelb.reporting.ops.deploy;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.BUILD;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.ENVIRONMENT;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.PUBLIC_DEADLINE;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.PUBLIC_STATE;

/**
 * {@code Task_CheckPublicUrl}: checks through the web front's public URL that the new
 * build is served; writes {@code publicState} (READY, PENDING, FAILED) and, on failure,
 * {@code failureReason}.
 */
@Component("checkPublicUrl")
class CheckPublicUrlDelegate implements JavaDelegate {

	private final HealthChecks health;

	private final DeploySettings settings;

	CheckPublicUrlDelegate(HealthChecks health, DeploySettings settings) {
		this.health = health;
		this.settings = settings;
	}

	@Override
	public void execute(DelegateExecution execution) {
		Check check = this.health.checkPublicUrl((String) execution.getVariable(ENVIRONMENT),
				(String) execution.getVariable(BUILD), Waits.deadline(execution, PUBLIC_DEADLINE));
		Waits.record(execution, PUBLIC_STATE, check, this.settings);
	}

}
