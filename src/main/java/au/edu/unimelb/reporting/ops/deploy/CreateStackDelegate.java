package au.edu.unimelb.reporting.ops.deploy;

import au.edu.unimelb.reporting.ops.heat.StackRef;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.BUILD;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.ENVIRONMENT;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.STACK_DEADLINE;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.STACK_ID;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.STACK_NAME;

/**
 * {@code Task_CreateStack}: creates the stack (a repeated try finds the one it made);
 * writes {@code stackId} and {@code stackDeadline}.
 */
@Component("createStack")
class CreateStackDelegate implements JavaDelegate {

	private final DeployService deploy;

	CreateStackDelegate(DeployService deploy) {
		this.deploy = deploy;
	}

	@Override
	public void execute(DelegateExecution execution) {
		String environment = (String) execution.getVariable(ENVIRONMENT);
		StackRef ref = this.deploy.createStack(execution.getProcessInstanceId(), environment,
				(String) execution.getVariable(STACK_NAME), (String) execution.getVariable(BUILD));
		execution.setVariable(STACK_ID, ref.id());
		Waits.setDeadline(execution, STACK_DEADLINE, this.deploy.stackDeadline(environment));
		Waits.reset(execution);
	}

}
