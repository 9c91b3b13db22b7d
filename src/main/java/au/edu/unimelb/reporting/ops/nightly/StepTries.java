package au.edu.unimelb.reporting.ops.nightly;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.impl.bpmn.parser.DefaultFailedJobParseListener;
import org.camunda.bpm.engine.impl.bpmn.parser.FailedJobRetryConfiguration;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity;
import org.camunda.bpm.engine.impl.persistence.entity.JobEntity;
import org.camunda.bpm.engine.impl.util.ParseUtil;

/**
 * Which try of its job a step is on, and how many it gets: the step's
 * {@code failedJobRetryTimeCycle} ({@code R3/PT5M}: three tries in all).
 *
 * <p>
 * The engine applies a cycle only after a job's first failure (until then the job holds
 * the engine's default of 3 retries), so a job that has not failed yet is on try 1 of the
 * cycle's count; after a failure its retries are the tries it has left. A step that does
 * not run in a job (no {@code asyncBefore}) gets one try. A job an operator retried from
 * Cockpit after an incident (retries set to 1) is on its last try.
 *
 * @param current this try, from 1
 * @param total the tries the step gets
 * @param failedBefore whether an earlier try of this job failed
 */
public record StepTries(int current, int total, boolean failedBefore) {

	public boolean isLast() {
		return this.current >= this.total;
	}

	/** The try of the job that runs the execution's current activity. */
	public static StepTries of(DelegateExecution execution) {
		CommandContext command = Context.getCommandContext();
		JobEntity job = (command != null) ? command.getCurrentJob() : null;
		if (job == null) {
			return new StepTries(1, 1, false);
		}
		int total = Math.max(1, cycleTries(execution));
		if (job.getExceptionMessage() == null) {
			return new StepTries(1, total, false);
		}
		int left = Math.max(1, job.getRetries());
		return new StepTries(Math.max(1, total - left + 1), Math.max(total, left), true);
	}

	/** The tries the activity's retry cycle gives, or the engine's default 3. */
	private static int cycleTries(DelegateExecution execution) {
		FailedJobRetryConfiguration cycle = ((ExecutionEntity) execution).getActivity()
			.getProperties()
			.get(DefaultFailedJobParseListener.FAILED_JOB_CONFIGURATION);
		if (cycle == null) {
			return 3;
		}
		if (cycle.getExpression() != null) {
			Object value = cycle.getExpression().getValue(execution);
			cycle = ParseUtil.parseRetryIntervals((value != null) ? value.toString() : null);
			if (cycle == null) {
				return 3;
			}
		}
		return cycle.getRetries();
	}

}
