package au.edu.unimelb.reporting.ops.restore;

/**
 * QA's database settings reach the Prod database, or whether they do cannot be told (a
 * server that does not answer, or does not say who it is): the restore must not touch
 * anything.
 */
public final class QaIsProdException extends RuntimeException {

	private final boolean undecided;

	private QaIsProdException(String message, Throwable cause, boolean undecided) {
		super(message, cause);
		this.undecided = undecided;
	}

	/** The servers say QA's settings and Prod's reach one database. */
	static QaIsProdException same(String message) {
		return new QaIsProdException(message, null, false);
	}

	/** A server could not say who it is, so it cannot be told. */
	static QaIsProdException undecided(String message, Throwable cause) {
		return new QaIsProdException(message, cause, true);
	}

	/**
	 * @return {@code true} when it could not be told, {@code false} when the servers said
	 * QA is Prod
	 */
	public boolean undecided() {
		return this.undecided;
	}

}
