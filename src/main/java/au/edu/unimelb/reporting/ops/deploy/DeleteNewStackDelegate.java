package au.edu.unimelb.reporting.ops.deploy;

import au.edu.unimelb.reporting.ops.heat.StackRef;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.ENVIRONMENT;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.STACK_ID;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.STACK_NAME;

/**
 * {@code Task_DeleteNewStack}: deletes the new stack that never served (failed, timed
 * out, unhealthy, or switched back), so nothing is left half-done; the old stack is
 * untouched.
 */
@Component("deleteNewStack")
class DeleteNewStackDelegate implements JavaDelegate {

	private final DeployService deploy;

	DeleteNewStackDelegate(DeployService deploy) {
		this.deploy = deploy;
	}

	@Override
	public void execute(DelegateExecution execution) {
		this.deploy.deleteStack((String) execution.getVariable(ENVIRONMENT),
				new StackRef((String) execution.getVariable(STACK_NAME), (String) execution.getVariable(STACK_ID)));
	}

}
