package au.edu.unimelb.reporting.ops.deploy;

import java.time.Instant;
import java.util.List;
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
	 * @param decision {@code APPROVED} (once every required approval is in),
	 * {@code REJECTED}, {@code QA_CHANGED} or {@code null} while undecided
	 * @param decidedBy the tester whose answer decided it
	 * @param decidedAt when
	 * @param comment what they wrote
	 * @param approvalsRequired how many distinct testers had to approve (the number the
	 * release started with)
	 * @param approvals the approvals that count (not voided), oldest first
	 */
	record ReleaseApproval(String releaseId, String build, String startedBy, String decision, String decidedBy,
			Instant decidedAt, String comment, int approvalsRequired, List<Approval> approvals) {

		public ReleaseApproval {
			approvals = (approvals != null) ? List.copyOf(approvals) : List.of();
		}

		/**
		 * @return whether the release was approved: decided so, and as many distinct
		 * testers approved as it required (at least one)
		 */
		public boolean approved() {
			return "APPROVED".equals(this.decision) && this.decidedBy != null && this.decidedAt != null
					&& this.approvalsRequired >= 1
					&& this.approvals.stream().map(Approval::user).distinct().count() >= this.approvalsRequired;
		}

	}

	/**
	 * One tester's approval of a release's build.
	 *
	 * @param user the tester
	 * @param at when they approved
	 * @param comment what they wrote (may be empty)
	 */
	record Approval(String user, Instant at, String comment) {
	}

}
