package au.edu.unimelb.reporting.ops.deploy;

import au.edu.unimelb.reporting.ops.heat.StackRef;
import au.edu.unimelb.reporting.ops.engine.StartedBy;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.ENVIRONMENT;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.INITIATOR;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.STACK_ID;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.STACK_NAME;

/**
 * {@code Task_AcceptRollback} (synchronous, in the starting transaction): checks
 * {@code environment}, takes its lock and finds the kept previous stack; writes
 * {@code stackName} and {@code stackId} of that stack. A refusal starts nothing.
 */
@Component("acceptRollback")
class AcceptRollbackDelegate implements JavaDelegate {

	private final Rollbacks rollbacks;

	AcceptRollbackDelegate(Rollbacks rollbacks) {
		this.rollbacks = rollbacks;
	}

	@Override
	public void execute(DelegateExecution execution) {
		StackRef target = this.rollbacks.acceptRollback(execution.getProcessInstanceId(),
				(String) execution.getVariable(ENVIRONMENT), StartedBy.resetInitiator(execution, INITIATOR));
		execution.setVariable(STACK_NAME, target.name());
		execution.setVariable(STACK_ID, target.id());
	}

}
