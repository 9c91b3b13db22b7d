package au.edu.unimelb.reporting.ops.deploy;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.ENVIRONMENT;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.PENDING;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.READY;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.RETIRE_DEADLINE;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.RETIRE_STATE;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.RETIRING;

/**
 * {@code Task_CheckRetired}: checks that the retired stacks are gone; writes
 * {@code retireState} (READY, PENDING). A failed delete is an exception: the step
 * retries, then raises an incident; its retry deletes again.
 */
@Component("checkRetired")
class CheckRetiredDelegate implements JavaDelegate {

	private final StackRetirement retirement;

	private final DeploySettings settings;

	CheckRetiredDelegate(StackRetirement retirement, DeploySettings settings) {
		this.retirement = retirement;
		this.settings = settings;
	}

	@Override
	public void execute(DelegateExecution execution) {
		boolean gone = this.retirement.retiredStacksGone((String) execution.getVariable(ENVIRONMENT),
				StackList.fromJson((String) execution.getVariable(RETIRING)),
				Waits.deadline(execution, RETIRE_DEADLINE));
		execution.setVariable(RETIRE_STATE, gone ? READY : PENDING);
		if (gone) {
			Waits.reset(execution);
		}
		else {
			Waits.waitLonger(execution, this.settings);
		}
	}

}
