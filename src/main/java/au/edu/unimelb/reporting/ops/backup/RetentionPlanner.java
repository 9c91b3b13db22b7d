package au.edu.unimelb.reporting.ops.backup;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import au.edu.unimelb.reporting.ops.backup.RetentionPlan.Action;
import au.edu.unimelb.reporting.ops.backup.RetentionPlan.Decision;
import au.edu.unimelb.reporting.ops.nightly.Tier;

/**
 * Decides which sets of a tier to keep and which to remove: a pure function of the sets,
 * the tier's policy and the clock (after restic's retention policy). It removes nothing
 * itself.
 *
 * <p>
 * The rules, in order:
 * <ol>
 * <li>If tonight's upload to the tier was not verified, every set is kept: retention runs
 * only after a verified upload of the same tier.</li>
 * <li>A set younger than the window is kept, verified or not (a partial upload is not the
 * planner's to clean up).</li>
 * <li>The newest {@code minimumKept} verified sets are kept whatever their age (the
 * floor): a run of failed nights never shrinks a tier below it. Unverified sets never
 * count toward it.</li>
 * <li>Any other set is removed, except the newest set: duplicity's
 * {@code remove-older-than} cannot remove it without damaging it.</li>
 * <li>{@code remove-older-than} removes only the oldest sets, so a set to be removed that
 * is newer than a kept one is kept too, and its reason says so.</li>
 * </ol>
 */
final class RetentionPlanner {

	private final Clock clock;

	/**
	 * Creates a planner.
	 * @param clock the clock that says when tonight's run is (only its instant counts:
	 * days and months are counted in the policy's zone)
	 */
	RetentionPlanner(Clock clock) {
		this.clock = clock;
	}

	/**
	 * Plans retention for one tier.
	 * @param policy the tier's policy
	 * @param sets the tier's sets, in any order
	 * @param tonightVerified whether tonight's upload to this tier was verified
	 * @return a decision for every set, oldest first, and the cutoff
	 */
	RetentionPlan plan(RetentionPolicy policy, List<BackupSet> sets, boolean tonightVerified) {
		List<BackupSet> byTime = sets.stream().sorted(Comparator.comparing(BackupSet::time)).toList();
		if (!tonightVerified) {
			String reason = "tonight's upload to " + policy.tier().label() + " was not verified: retention left alone";
			return new RetentionPlan(policy.tier(),
					byTime.stream().map((set) -> new Decision(set, Action.KEEP, reason)).toList(), Optional.empty());
		}
		Instant now = this.clock.instant();
		List<Decision> decisions = new ArrayList<>(byTime.size());
		int verifiedNewer = 0;
		for (int i = byTime.size() - 1; i >= 0; i--) {
			BackupSet set = byTime.get(i);
			boolean inFloor = set.verified() && verifiedNewer < policy.minimumKept();
			decisions.add(decide(set, policy, now, inFloor, i == byTime.size() - 1));
			if (set.verified()) {
				verifiedNewer++;
			}
		}
		Collections.reverse(decisions);
		return removeOnlyTheOldest(policy.tier(), decisions);
	}

	private static Decision decide(BackupSet set, RetentionPolicy policy, Instant now, boolean inFloor,
			boolean newest) {
		String window = policy.window();
		if (policy.isWithin(set.time(), now)) {
			return keep(set, set.verified() ? "within " + window : "within " + window + " (unverified)");
		}
		if (inFloor) {
			return keep(set, "one of the newest " + policy.minimumKept() + " verified sets (floor)");
		}
		if (newest) {
			return keep(set, "the newest set (never removed)");
		}
		return new Decision(set, Action.REMOVE,
				set.verified() ? "older than " + window : "unverified and older than " + window);
	}

	/**
	 * Keeps every set to be removed that is not older than the oldest kept set, so that
	 * the removals are exactly the sets {@code remove-older-than} removes; the cutoff is
	 * the oldest kept set's time: duplicity removes only chains strictly older than it.
	 */
	private RetentionPlan removeOnlyTheOldest(Tier tier, List<Decision> byTime) {
		Optional<Instant> oldestKept = byTime.stream()
			.filter((decision) -> decision.action() == Action.KEEP)
			.map((decision) -> decision.set().time())
			.findFirst();
		List<Decision> decisions = byTime.stream().map((decision) -> {
			boolean olderThanKept = decision.set().time().isBefore(oldestKept.orElseThrow());
			return (decision.action() == Action.KEEP || olderThanKept) ? decision : keep(decision.set(),
					decision.reason() + ", but an older set is kept (remove-older-than removes only the oldest)");
		}).toList();
		boolean removes = decisions.stream().anyMatch((decision) -> decision.action() == Action.REMOVE);
		return new RetentionPlan(tier, decisions, removes ? oldestKept : Optional.empty());
	}

	private static Decision keep(BackupSet set, String reason) {
		return new Decision(set, Action.KEEP, reason);
	}

}
