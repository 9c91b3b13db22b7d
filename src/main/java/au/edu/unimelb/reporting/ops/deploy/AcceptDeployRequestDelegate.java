package au.edu.unimelb.reporting.ops.deploy;

import java.time.Instant;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.APPROVAL_COMMENT;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.APPROVED_AT;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.APPROVED_BY;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.BUILD;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.ENVIRONMENT;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.INITIATOR;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.RELEASE_ID;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.RELEASE_STARTED_BY;

/**
 * {@code Task_AcceptRequest} (synchronous, in the starting transaction): checks
 * {@code environment} and {@code build}, takes the environment's lock, opens the
 * deployment record (with the release and its UAT approval, when a release called it). A
 * refusal starts nothing and answers the REST caller with 400 or 409.
 */
@Component("acceptDeployRequest")
class AcceptDeployRequestDelegate implements JavaDelegate {

	private final DeployService deploy;

	AcceptDeployRequestDelegate(DeployService deploy) {
		this.deploy = deploy;
	}

	@Override
	public void execute(DelegateExecution execution) {
		String startedBy = (String) execution.getVariable(INITIATOR);
		String releaseId = (String) execution.getVariable(RELEASE_ID);
		if (startedBy == null && releaseId != null) {
			startedBy = execution.getVariable(RELEASE_STARTED_BY) + " (release " + releaseId + ")";
		}
		this.deploy.acceptDeploy(execution.getProcessInstanceId(), (String) execution.getVariable(ENVIRONMENT),
				(String) execution.getVariable(BUILD), startedBy);
		if (releaseId != null) {
			Object approvedAt = execution.getVariable(APPROVED_AT);
			this.deploy.recordApproval(execution.getProcessInstanceId(), releaseId,
					(String) execution.getVariable(APPROVED_BY),
					(approvedAt != null) ? Instant.parse(approvedAt.toString()) : null,
					(String) execution.getVariable(APPROVAL_COMMENT));
		}
	}

}
