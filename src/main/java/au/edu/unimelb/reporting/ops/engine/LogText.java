package au.edu.unimelb.reporting.ops.engine;

/**
 * Text from a request, made safe to put in a log line or a message: control and format
 * characters (line breaks, escapes, bidirectional overrides) become {@code ?}, so a
 * comment cannot forge a log line.
 */
public final class LogText {

	private LogText() {
	}

	/**
	 * @return the text with every control or format character replaced, or "null"
	 */
	public static String of(String text) {
		return (text == null) ? "null" : text.replaceAll("\\p{C}", "?");
	}

}
