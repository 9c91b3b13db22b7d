package au.edu.unimelb.reporting.ops.backup;

import java.util.function.Supplier;

import au.edu.unimelb.reporting.ops.postgres.DatabaseException;
import au.edu.unimelb.reporting.ops.shell.CommandFailedException;
import au.edu.unimelb.reporting.ops.shell.CommandResult;

/**
 * A backup or restore step failed in a way that is part of the job (a program exited with
 * an error, the database refused, the result did not check out): the delegate turns it
 * into the BPMN error {@code STEP_FAILED}, and the run takes its failure path, which
 * leaves older backups and QA as they were. Anything else (a bug, the service's own
 * database gone) is retried by the engine and then raises an incident.
 */
public class StepFailedException extends RuntimeException {

	public StepFailedException(String message) {
		super(message);
	}

	/**
	 * Runs a program; its failure becomes a failed step.
	 * @param what the step's words for it ({@code pg_dump of reporting})
	 * @param run runs it
	 * @return its result
	 */
	public static CommandResult whenFails(String what, Supplier<CommandResult> run) {
		try {
			return run.get();
		}
		catch (CommandFailedException ex) {
			throw new StepFailedException(what + " failed: " + ex.getMessage());
		}
	}

	/**
	 * Turns a program's or the application database's failure into a failed step; any
	 * other exception is returned as it is.
	 */
	public static RuntimeException wrap(String what, RuntimeException ex) {
		if (ex instanceof StepFailedException) {
			return ex;
		}
		if (ex instanceof CommandFailedException || ex instanceof DatabaseException) {
			return new StepFailedException(what + " failed: " + ex.getMessage());
		}
		return ex;
	}

}
