package au.edu.unimelb.reporting.ops.heat;

/**
 * A technical failure talking to Keystone or Heat (refused, timed out, 5xx, an unexpected
 * answer). The step that met it is retried per its BPMN retry cycle, then raises an
 * incident with this message.
 */
public class HeatException extends RuntimeException {

	public HeatException(String message) {
		super(message);
	}

	public HeatException(String message, Throwable cause) {
		super(message + ": " + describe(cause), cause);
	}

	private static String describe(Throwable cause) {
		String text = cause.getMessage();
		return cause.getClass().getSimpleName() + ((text != null) ? " " + text : "");
	}

}
