package au.edu.unimelb.reporting.ops.restore;

/**
 * QA's database settings reach the Prod database, or whether they do cannot be told (a
 * server that does not say who it is): the restore must not touch anything. At the start
 * it becomes a refusal (400); in a later step a technical failure (retries, then an
 * incident).
 */
public class QaIsProdException extends RuntimeException {

	QaIsProdException(String message) {
		super(message);
	}

	QaIsProdException(String message, Throwable cause) {
		super(message, cause);
	}

}
