package au.edu.unimelb.reporting.ops.deploy;

import java.util.List;

import au.edu.unimelb.reporting.ops.engine.StartedBy;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.identity.Authentication;

import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.BUILD;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.ENVIRONMENT;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.INITIATOR;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.REASON;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.RELEASE_ID;

/**
 * {@code Task_AcceptRequest} (synchronous, in the starting transaction): checks
 * {@code environment}, {@code build} and who asks — the authenticated user, or the
 * release that called this run (its super process instance, never a variable) — takes the
 * environment's lock (an operator: a member of the engine's admin group), and opens the
 * deployment record. A refusal starts nothing and answers the REST caller with 400, 403
 * or 409. Writes {@code initiator} (the authenticated user) and {@code releaseId}.
 */
@Component("acceptDeployRequest")
class AcceptDeployRequestDelegate implements JavaDelegate {

	private final DeployService deploy;

	AcceptDeployRequestDelegate(DeployService deploy) {
		this.deploy = deploy;
	}

	@Override
	public void execute(DelegateExecution execution) {
		Authentication user = StartedBy.authentication(execution);
		List<String> approvalVariables = DeployRequest.APPROVAL_VARIABLES.stream()
			.filter(execution::hasVariable)
			.toList();
		String release = StartedBy.callingInstance(execution, DeployReplaceProcess.RELEASE_KEY);
		DeployOrigin origin = this.deploy.acceptDeploy(new DeployRequest(execution.getProcessInstanceId(),
				(String) execution.getVariable(ENVIRONMENT), (String) execution.getVariable(BUILD),
				(user != null) ? user.getUserId() : null, StartedBy.isOperator(execution, user), release,
				execution.getVariable(REASON), approvalVariables));
		execution.setVariable(INITIATOR, (user != null) ? user.getUserId() : null);
		execution.setVariable(RELEASE_ID, origin.releaseId());
	}

}
