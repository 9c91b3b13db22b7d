package au.edu.unimelb.reporting.ops.backup;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Comparator;
import java.util.List;

import au.edu.unimelb.reporting.ops.backup.RetentionPlan.Decision;

import static au.edu.unimelb.reporting.ops.nightly.TestBackupSettings.MELBOURNE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Local times in Melbourne for tables of dates, and the checks every plan must pass to be
 * executable with {@code duplicity remove-older-than}.
 */
final class PlanChecks {

	private PlanChecks() {
	}

	/** {@code 2026-11-30 01:30} or {@code 2026-11-30 01:30:07}, Melbourne time. */
	static Instant at(String localTime) {
		return LocalDateTime.parse(localTime.replace(' ', 'T')).atZone(MELBOURNE).toInstant();
	}

	/** The reverse of {@link #at(String)}: seconds only when they are not zero. */
	static String local(Instant time) {
		return LocalDateTime.ofInstant(time, MELBOURNE).toString().replace('T', ' ');
	}

	/**
	 * Checks that the plan is what duplicity can do: decisions in time order; the removed
	 * sets exactly those older than the cutoff; the cutoff the oldest kept set's time,
	 * never after the newest set; the floor of verified sets kept; no cutoff when nothing
	 * is removed.
	 */
	static void assertExecutable(RetentionPlan plan, RetentionPolicy policy, List<BackupSet> sets) {
		List<BackupSet> byTime = sets.stream().sorted(Comparator.comparing(BackupSet::time)).toList();
		assertThat(plan.decisions().stream().map(Decision::set)).as("decisions in time order")
			.containsExactlyElementsOf(byTime);
		long verified = sets.stream().filter(BackupSet::verified).count();
		assertThat(plan.kept().stream().filter(BackupSet::verified).count()).as("verified sets kept")
			.isGreaterThanOrEqualTo(Math.min(verified, policy.minimumKept()));
		if (plan.cutoff().isEmpty()) {
			assertThat(plan.removed()).as("removed without a cutoff").isEmpty();
			return;
		}
		Instant cutoff = plan.cutoff().get();
		assertThat(plan.removed()).as("removed")
			.isNotEmpty()
			.containsExactlyElementsOf(byTime.stream().filter((set) -> set.time().isBefore(cutoff)).toList());
		assertThat(cutoff).as("cutoff").isEqualTo(plan.kept().get(0).time());
		assertThat(cutoff).as("cutoff").isBeforeOrEqualTo(byTime.get(byTime.size() - 1).time());
	}

}
