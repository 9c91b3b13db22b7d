package au.edu.unimelb.reporting.ops.nightly;

import java.util.function.Supplier;

import au.edu.unimelb.reporting.ops.postgres.DatabaseException;
import au.edu.unimelb.reporting.ops.shell.CommandFailedException;
import au.edu.unimelb.reporting.ops.shell.CommandResult;

/**
 * A backup or restore step failed in a way that is part of the job, and the run takes its
 * failure path (the BPMN error {@code STEP_FAILED}), which leaves older backups and QA as
 * they were. Two kinds:
 * <ul>
 * <li>a <em>verdict</em> (the result did not check out: a set not listed as complete, row
 * counts that differ): the failure path at once, trying again would not change it;
 * <li>a <em>retryable</em> failure (a program exited with an error or hit its timeout,
 * the database was unreachable): the step is tried again on its retry cycle, and only its
 * last try takes the failure path (see {@link StepErrors}).
 * </ul>
 * Anything else (a bug, the service's own database gone) is retried by the engine and
 * then raises an incident.
 */
public class StepFailedException extends RuntimeException {

	private final boolean retryable;

	/** A verdict: the failure path at once. */
	public StepFailedException(String message) {
		this(message, false);
	}

	private StepFailedException(String message, boolean retryable) {
		super(message);
		this.retryable = retryable;
	}

	/**
	 * A failure that may pass (a program's error exit or timeout, the database
	 * unreachable): the step is tried again before the run takes its failure path.
	 */
	public static StepFailedException retryable(String message) {
		return new StepFailedException(message, true);
	}

	/** Whether trying the step again may succeed. */
	public boolean isRetryable() {
		return this.retryable;
	}

	/**
	 * Runs a program; its failure (an error exit, its timeout) becomes a retryable failed
	 * step.
	 * @param what the step's words for it ({@code pg_dump of reporting})
	 * @param run runs it
	 * @return its result
	 */
	public static CommandResult whenFails(String what, Supplier<CommandResult> run) {
		try {
			return run.get();
		}
		catch (CommandFailedException ex) {
			throw retryable(what + " failed: " + ex.getMessage());
		}
	}

	/**
	 * Turns a program's or the application database's failure into a retryable failed
	 * step; a verdict stays as it is; any other exception is returned as it is.
	 */
	public static RuntimeException wrap(String what, RuntimeException ex) {
		if (ex instanceof StepFailedException) {
			return ex;
		}
		if (ex instanceof CommandFailedException || ex instanceof DatabaseException) {
			return retryable(what + " failed: " + ex.getMessage());
		}
		return ex;
	}

}
