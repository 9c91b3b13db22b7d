package au.edu.unimelb.reporting.ops.records;

import java.sql.Timestamp;
import java.time.Instant;

/**
 * The conversions every record table of the service ({@code ops_deployment},
 * {@code ops_backup_*}, {@code ops_release}) makes between Java and its columns.
 */
public final class RecordValues {

	/** The length of the detail and comment columns. */
	public static final int TEXT_LENGTH = 2000;

	private RecordValues() {
	}

	/** A nullable timestamp column as an instant. */
	public static Instant instant(Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	/** Now, for a timestamp column. */
	public static Timestamp now() {
		return Timestamp.from(Instant.now());
	}

	/** A text for a detail or comment column, cut to fit with {@code ...}. */
	public static String truncate(String text) {
		return (text != null && text.length() > TEXT_LENGTH) ? text.substring(0, TEXT_LENGTH - 3) + "..." : text;
	}

}
