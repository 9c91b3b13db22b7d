package au.edu.unimelb.reporting.ops.engine;

import au.edu.unimelb.reporting.ops.lock.LockHeldException;
import jakarta.ws.rs.core.Response.Status;

import org.camunda.bpm.engine.rest.exception.RestException;

/**
 * A start request refused before anything started: bad input (400), a caller who may not
 * (403) or a conflicting run (409). Thrown by the first, synchronous step of a process,
 * so the transaction that would have started it rolls back; the engine's REST API passes
 * the status and message to the caller ("Cannot instantiate process definition …:
 * <message>").
 */
public class RequestRefusedException extends RestException {

	private RequestRefusedException(Status status, String message) {
		super(status, message);
	}

	/** The input is missing or malformed. */
	public static RequestRefusedException badInput(String message) {
		return new RequestRefusedException(Status.BAD_REQUEST, message);
	}

	/** The caller may not start this, whatever the input. */
	public static RequestRefusedException forbidden(String message) {
		return new RequestRefusedException(Status.FORBIDDEN, message);
	}

	/** The service's state does not allow it now (not another run's lock: see below). */
	public static RequestRefusedException conflict(String message) {
		return new RequestRefusedException(Status.CONFLICT, message);
	}

	/**
	 * Another run holds a lock this one needs: the one answer every process gives, named
	 * by the lock and its holder.
	 */
	public static RequestRefusedException lockedByAnotherRun(LockHeldException held) {
		return lockedByAnotherRun(held, null, "Wait for it to end, or cancel it in Cockpit, then start again.");
	}

	/**
	 * The same answer, saying what the holding run is and what to do about it.
	 * @param what the holding run in words ({@code the release of build 1.4.2}), or
	 * {@code null}
	 * @param advice what to do, one or more sentences
	 */
	public static RequestRefusedException lockedByAnotherRun(LockHeldException held, String what, String advice) {
		String message = (held.getHolder() != null)
				? "Locked by another run: " + held.getName() + " is held by " + ((what != null) ? what + ", " : "")
						+ "process instance " + held.getHolder() + ", started by " + held.getStartedBy() + " at "
						+ held.getAcquiredAt() + ". " + advice
				: "Locked by another run: " + held.getName() + " changed hands while this run took it. Start again.";
		return conflict(message);
	}

}
