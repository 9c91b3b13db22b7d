package au.edu.unimelb.reporting.ops.shell;

/**
 * A program exited with a non-zero code, or ran past its timeout and was killed. The
 * message names the command (secrets masked), the exit code and the end of its standard
 * error; the step that ran it retries per its BPMN retry cycle, then raises an incident
 * with this message.
 */
public class CommandFailedException extends RuntimeException {

	private final int exitCode;

	private final String stderr;

	CommandFailedException(String message, int exitCode, String stderr) {
		super(message);
		this.exitCode = exitCode;
		this.stderr = stderr;
	}

	/**
	 * @return the exit code, or -1 when it was killed at its timeout
	 */
	public int getExitCode() {
		return this.exitCode;
	}

	/**
	 * @return its standard error, secrets masked
	 */
	public String getStderr() {
		return this.stderr;
	}

	public boolean timedOut() {
		return this.exitCode == -1;
	}

}
