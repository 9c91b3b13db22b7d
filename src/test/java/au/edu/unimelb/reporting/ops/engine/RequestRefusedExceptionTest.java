package au.edu.unimelb.reporting.ops.engine;

import au.edu.unimelb.reporting.ops.lock.LockHeldException;
import jakarta.ws.rs.core.Response.Status;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every process answers a start that another run's lock stops in the same words: 409, the
 * lock, who holds it since when, and what to do.
 */
class RequestRefusedExceptionTest {

	@Test
	void aLockHeldByAnotherRunIsRefusedNamingTheLockAndItsHolder() {
		RequestRefusedException refused = RequestRefusedException
			.lockedByAnotherRun(new LockHeldException("deploy:qa", "run-0", "jenkins", "2026-11-24 22:00:00.0"));

		assertThat(refused.getStatus()).isEqualTo(Status.CONFLICT);
		assertThat(refused).hasMessage("Locked by another run: deploy:qa is held by process instance run-0, started "
				+ "by jenkins at 2026-11-24 22:00:00.0. Wait for it to end, or cancel it in Cockpit, then start again.");
	}

	@Test
	void aLockThatChangedHandsWhileTakenIsRefusedToo() {
		RequestRefusedException refused = RequestRefusedException
			.lockedByAnotherRun(new LockHeldException("release", null, null, null));

		assertThat(refused.getStatus()).isEqualTo(Status.CONFLICT);
		assertThat(refused)
			.hasMessage("Locked by another run: release changed hands while this run took it. Start again.");
	}

}
