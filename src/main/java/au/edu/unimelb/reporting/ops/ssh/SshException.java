package au.edu.unimelb.reporting.ops.ssh;

/**
 * SSH could not run the command: refused, timed out, authentication failed, or the host
 * key did not match. The step is retried per its BPMN retry cycle, then raises an
 * incident with this message.
 */
public class SshException extends RuntimeException {

	public SshException(String message) {
		super(message);
	}

	public SshException(String message, Throwable cause) {
		super(message, cause);
	}

}
