package au.edu.unimelb.reporting.ops.webfront;

/**
 * The web front could not be switched. The message says whether the previous target was
 * restored.
 */
public class WebFrontException extends RuntimeException {

	public WebFrontException(String message) {
		super(message);
	}

}
