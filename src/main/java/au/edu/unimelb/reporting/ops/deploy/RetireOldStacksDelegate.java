package au.edu.unimelb.reporting.ops.deploy;

import java.time.Instant;
import java.util.List;

import au.edu.unimelb.reporting.ops.heat.StackRef;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.ENVIRONMENT;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.RETIRE_DEADLINE;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.RETIRING;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.STACK_NAME;

/**
 * {@code Task_RetireOldStacks}: after the new stack serves and passed its check, starts
 * deleting the old stacks beyond the kept previous ones, and any failed ones; writes
 * {@code retiringStacks} (JSON) and {@code retireDeadline}.
 */
@Component("retireOldStacks")
class RetireOldStacksDelegate implements JavaDelegate {

	private final StackRetirement retirement;

	private final DeploySettings settings;

	RetireOldStacksDelegate(StackRetirement retirement, DeploySettings settings) {
		this.retirement = retirement;
		this.settings = settings;
	}

	@Override
	public void execute(DelegateExecution execution) {
		List<StackRef> retiring = this.retirement.retireOldStacks((String) execution.getVariable(ENVIRONMENT),
				(String) execution.getVariable(STACK_NAME));
		execution.setVariable(RETIRING, StackList.toJson(retiring));
		Waits.setDeadline(execution, RETIRE_DEADLINE, Instant.now().plus(this.settings.retireTimeout()));
		Waits.reset(execution);
	}

}
