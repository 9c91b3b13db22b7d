package au.edu.unimelb.reporting.ops.lock;

/**
 * A lock is held by a running process instance: the request that wanted it is refused and
 * nothing starts. {@code RequestRefusedException.lockedByAnotherRun} turns it into the
 * one answer (409) every process gives.
 */
public class LockHeldException extends RuntimeException {

	private final String name;

	private final String holder;

	private final String startedBy;

	private final Object acquiredAt;

	/**
	 * @param name the lock ({@code deploy:qa})
	 * @param holder the process instance that holds it, or {@code null} when it changed
	 * hands while it was being taken
	 * @param startedBy who started the holder
	 * @param acquiredAt when the holder took it
	 */
	public LockHeldException(String name, String holder, String startedBy, Object acquiredAt) {
		super((holder != null)
				? name + " is held by process instance " + holder + ", started by " + startedBy + " at " + acquiredAt
				: name + " changed hands while being taken; try again");
		this.name = name;
		this.holder = holder;
		this.startedBy = startedBy;
		this.acquiredAt = acquiredAt;
	}

	/**
	 * @return the lock
	 */
	public String getName() {
		return this.name;
	}

	/**
	 * @return the process instance that holds the lock, or {@code null} when it changed
	 * hands while it was being taken
	 */
	public String getHolder() {
		return this.holder;
	}

	/**
	 * @return who started the holder
	 */
	public String getStartedBy() {
		return this.startedBy;
	}

	/**
	 * @return when the holder took the lock
	 */
	public Object getAcquiredAt() {
		return this.acquiredAt;
	}

}
