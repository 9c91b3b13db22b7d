package au.edu.unimelb.reporting.ops.deploy;

import java.time.Instant;

import au.edu.unimelb.reporting.ops.heat.StackRef;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.ENVIRONMENT;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.HEALTH_DEADLINE;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.HOST_KEYS_DEADLINE;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.READY;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.SERVER_ADDRESS;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.SERVER_ID;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.STACK_DEADLINE;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.STACK_ID;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.STACK_NAME;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.STACK_STATE;

/**
 * {@code Task_CheckStack} (deploy-replace) and {@code Task_ReadTargetStack} (rollback):
 * reads the stack; writes {@code stackState} (READY, PENDING, FAILED) and then
 * {@code serverAddress}, {@code serverId}, {@code hostKeysDeadline} and
 * {@code healthDeadline}, or {@code failureReason}.
 */
@Component("checkStack")
class CheckStackDelegate implements JavaDelegate {

	private final DeployService deploy;

	CheckStackDelegate(DeployService deploy) {
		this.deploy = deploy;
	}

	@Override
	public void execute(DelegateExecution execution) {
		StackRef ref = new StackRef((String) execution.getVariable(STACK_NAME),
				(String) execution.getVariable(STACK_ID));
		Instant deadline = execution.hasVariable(STACK_DEADLINE) ? Waits.deadline(execution, STACK_DEADLINE)
				: Instant.now();
		Check check = this.deploy.checkStack(execution.getProcessInstanceId(),
				(String) execution.getVariable(ENVIRONMENT), ref, deadline);
		Waits.record(execution, STACK_STATE, check, this.deploy.settings());
		if (READY.equals(check.state())) {
			execution.setVariable(SERVER_ADDRESS, check.value());
			execution.setVariable(SERVER_ID, check.serverId());
			Waits.setDeadline(execution, HOST_KEYS_DEADLINE,
					Instant.now().plus(this.deploy.settings().hostKeysTimeout()));
			Waits.setDeadline(execution, HEALTH_DEADLINE, Instant.now().plus(this.deploy.settings().healthTimeout()));
		}
	}

}
