package au.edu.unimelb.reporting.ops.backup;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import au.edu.unimelb.reporting.ops.nightly.Tier;

/**
 * What retention does to one tier tonight: a decision with its reason for every set, and
 * the time to pass to {@code duplicity remove-older-than}.
 *
 * @param tier the tier
 * @param decisions one decision per set, oldest set first
 * @param cutoff the time for {@code remove-older-than}, which removes every chain
 * strictly older than it: exactly the sets decided {@link Action#REMOVE}. It is the time
 * of the oldest kept set, so never later than the newest set. Empty when nothing is
 * removed; then {@code remove-older-than} must not run at all.
 */
record RetentionPlan(Tier tier, List<Decision> decisions, Optional<Instant> cutoff) {

	RetentionPlan {
		Objects.requireNonNull(tier, "tier");
		Objects.requireNonNull(cutoff, "cutoff");
		decisions = List.copyOf(decisions);
	}

	/**
	 * Returns the sets retention keeps.
	 * @return the kept sets, oldest first
	 */
	List<BackupSet> kept() {
		return sets(Action.KEEP);
	}

	/**
	 * Returns the sets {@code remove-older-than} removes.
	 * @return the removed sets, oldest first
	 */
	List<BackupSet> removed() {
		return sets(Action.REMOVE);
	}

	private List<BackupSet> sets(Action action) {
		return this.decisions.stream().filter((decision) -> decision.action() == action).map(Decision::set).toList();
	}

	/**
	 * What happens to a set.
	 */
	enum Action {

		/** The set stays. */
		KEEP,

		/** The set is removed. */
		REMOVE

	}

	/**
	 * What happens to one set, and why.
	 *
	 * @param set the set
	 * @param action keep or remove
	 * @param reason a short sentence for logs and Cockpit ({@code within 7 days})
	 */
	record Decision(BackupSet set, Action action, String reason) {

		Decision {
			Objects.requireNonNull(set, "set");
			Objects.requireNonNull(action, "action");
			Objects.requireNonNull(reason, "reason");
		}

	}

}
