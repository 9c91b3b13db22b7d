package au.edu.unimelb.reporting.ops.deploy;

import au.edu.unimelb.reporting.ops.deploy.DeployService.Check;
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

	private final DeployService deploy;

	CheckPublicUrlDelegate(DeployService deploy) {
		this.deploy = deploy;
	}

	@Override
	public void execute(DelegateExecution execution) {
		Check check = this.deploy.checkPublicUrl((String) execution.getVariable(ENVIRONMENT),
				(String) execution.getVariable(BUILD), Waits.deadline(execution, PUBLIC_DEADLINE));
		Waits.record(execution, PUBLIC_STATE, check, this.deploy.settings());
	}

}
