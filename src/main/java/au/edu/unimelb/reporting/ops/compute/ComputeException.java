package au.edu.unimelb.reporting.ops.compute;

/**
 * A technical failure talking to the compute API (refused, timed out, 4xx, 5xx). The step
 * that met it is retried per its BPMN retry cycle, then raises an incident with this
 * message.
 */
public class ComputeException extends RuntimeException {

	public ComputeException(String message) {
		super(message);
	}

	public ComputeException(String message, Throwable cause) {
		super(message + ": " + cause.getClass().getSimpleName()
				+ ((cause.getMessage() != null) ? " " + cause.getMessage() : ""), cause);
	}

}
