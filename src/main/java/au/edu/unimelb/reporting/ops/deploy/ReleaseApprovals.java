package au.edu.unimelb.reporting.ops.deploy;

import java.time.Instant;
import java.util.Optional;

/**
 * What a deploy may learn of the release that called it: read from the release's own
 * record, never from variables. Implemented by the release feature, so that deploy does
 * not depend on it.
 */
public interface ReleaseApprovals {

	/**
	 * @return the release's record, or empty when there is none
	 */
	Optional<ReleaseApproval> approvalOf(String releaseId);

	/**
	 * A release and its UAT decision.
	 *
	 * @param releaseId the release's process instance
	 * @param build the build it ships
	 * @param startedBy who started the release
	 * @param decision {@code APPROVED}, {@code REJECTED}, {@code QA_CHANGED} or
	 * {@code null} while undecided
	 * @param decidedBy the tester who decided
	 * @param decidedAt when
	 * @param comment what they wrote
	 */
	record ReleaseApproval(String releaseId, String build, String startedBy, String decision, String decidedBy,
			Instant decidedAt, String comment) {

		public boolean approved() {
			return "APPROVED".equals(this.decision) && this.decidedBy != null && this.decidedAt != null;
		}

	}

}
