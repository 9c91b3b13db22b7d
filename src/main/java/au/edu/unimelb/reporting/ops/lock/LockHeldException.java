package au.edu.unimelb.reporting.ops.lock;

/**
 * A lock is held by a running process instance: the request that wanted it is refused and
 * nothing starts.
 */
public class LockHeldException extends RuntimeException {

	private final String holder;

	public LockHeldException(String message, String holder) {
		super(message);
		this.holder = holder;
	}

	/**
	 * @return the process instance that holds the lock
	 */
	public String getHolder() {
		return this.holder;
	}

}
