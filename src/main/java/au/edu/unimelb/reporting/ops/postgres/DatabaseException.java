package au.edu.unimelb.reporting.ops.postgres;

/**
 * A statement on an application database failed (it could not connect, or PostgreSQL
 * refused). The message names what was being done and PostgreSQL's reason, never a
 * password.
 */
public class DatabaseException extends RuntimeException {

	DatabaseException(String message, Throwable cause) {
		super(message, cause);
	}

}
