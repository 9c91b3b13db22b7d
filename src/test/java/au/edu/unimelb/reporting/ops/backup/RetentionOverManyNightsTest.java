package au.edu.unimelb.reporting.ops.backup;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import au.edu.unimelb.reporting.ops.nightly.BackupSettings;
import au.edu.unimelb.reporting.ops.nightly.TestBackupSettings;
import au.edu.unimelb.reporting.ops.nightly.Tier;
import org.junit.jupiter.api.Test;

import static au.edu.unimelb.reporting.ops.backup.PlanChecks.assertExecutable;
import static au.edu.unimelb.reporting.ops.nightly.TestBackupSettings.MELBOURNE;
import static au.edu.unimelb.reporting.ops.nightly.Tier.DAILY;
import static au.edu.unimelb.reporting.ops.nightly.Tier.MONTHLY;
import static au.edu.unimelb.reporting.ops.nightly.Tier.WEEKLY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nightly runs simulated from empty tiers at 01:30 Melbourne time, with the defaults (7
 * days, 5 weeks, 12 months, weekly on Sunday, monthly on the 1st, floor 2): each night
 * adds a set to each tier it uploads to, plans that tier's retention and removes what
 * {@code remove-older-than} at the cutoff would remove. The expected tiers are tables of
 * local dates; {@code (unverified)} marks a set whose verify failed.
 */
class RetentionOverManyNightsTest {

	static final LocalDate FIRST_NIGHT = LocalDate.of(2026, 10, 1);

	final Targets targets = new Targets(TestBackupSettings.defaults());

	@Test
	void sixtyTwoGoodNightsKeepEachTiersWindow() {
		this.targets.run(FIRST_NIGHT, 62, Upload.VERIFIED);
		assertThat(this.targets.sets()).isEqualTo(Map.of( //
				DAILY,
				List.of("2026-11-25", "2026-11-26", "2026-11-27", "2026-11-28", "2026-11-29", "2026-11-30",
						"2026-12-01"),
				WEEKLY, List.of("2026-11-01", "2026-11-08", "2026-11-15", "2026-11-22", "2026-11-29"), //
				MONTHLY, List.of("2026-10-01", "2026-11-01", "2026-12-01")));
	}

	@Test
	void fifteenFailedUploadsRemoveNothing() {
		this.targets.run(FIRST_NIGHT, 50, Upload.VERIFIED);
		Map<Tier, List<String>> before = this.targets.sets();
		// 20 November to 4 December: two Sundays and a 1st of the month among them
		Nights failed = this.targets.run(LocalDate.of(2026, 11, 20), 15, Upload.FAILED);
		assertThat(failed.plans()).hasSize(15 + 2 + 1).allSatisfy(this::removesNothing);
		assertThat(failed.fewestVerified()).allSatisfy(this::atLeastTheFloor);
		assertThat(this.targets.sets()).isEqualTo(before);
		this.targets.run(LocalDate.of(2026, 12, 5), 2, Upload.VERIFIED);
		assertThat(this.targets.sets()).isEqualTo(Map.of( //
				DAILY, List.of("2026-12-05", "2026-12-06"), //
				WEEKLY, List.of("2026-11-08", "2026-11-15", "2026-12-06"), //
				MONTHLY, List.of("2026-10-01", "2026-11-01")));
	}

	@Test
	void fifteenFailedVerifiesRemoveNothingAndThenTheFloorHolds() {
		this.targets.run(FIRST_NIGHT, 50, Upload.VERIFIED);
		Nights failed = this.targets.run(LocalDate.of(2026, 11, 20), 15, Upload.UNVERIFIED);
		assertThat(failed.plans()).hasSize(15 + 2 + 1).allSatisfy(this::removesNothing);
		assertThat(failed.fewestVerified()).allSatisfy(this::atLeastTheFloor);
		this.targets.run(LocalDate.of(2026, 12, 5), 1, Upload.VERIFIED);
		assertThat(this.targets.sets().get(DAILY)).containsExactly("2026-11-19", "2026-11-20 (unverified)",
				"2026-11-21 (unverified)", "2026-11-22 (unverified)", "2026-11-23 (unverified)",
				"2026-11-24 (unverified)", "2026-11-25 (unverified)", "2026-11-26 (unverified)",
				"2026-11-27 (unverified)", "2026-11-28 (unverified)", "2026-11-29 (unverified)",
				"2026-11-30 (unverified)", "2026-12-01 (unverified)", "2026-12-02 (unverified)",
				"2026-12-03 (unverified)", "2026-12-04 (unverified)", "2026-12-05");
		this.targets.run(LocalDate.of(2026, 12, 6), 1, Upload.VERIFIED);
		assertThat(this.targets.sets()).isEqualTo(Map.of( //
				DAILY,
				List.of("2026-11-30 (unverified)", "2026-12-01 (unverified)", "2026-12-02 (unverified)",
						"2026-12-03 (unverified)", "2026-12-04 (unverified)", "2026-12-05", "2026-12-06"),
				WEEKLY,
				List.of("2026-11-08", "2026-11-15", "2026-11-22 (unverified)", "2026-11-29 (unverified)", "2026-12-06"),
				MONTHLY, List.of("2026-10-01", "2026-11-01", "2026-12-01 (unverified)")));
	}

	@Test
	void theFloorAloneHoldsIfRetentionRanAfterFifteenFailedVerifies() {
		this.targets.run(FIRST_NIGHT, 50, Upload.VERIFIED);
		Nights failed = this.targets.run(LocalDate.of(2026, 11, 20), 15, Upload.UNVERIFIED_BUT_RETAINED);
		assertThat(failed.fewestVerified()).allSatisfy(this::atLeastTheFloor);
		assertThat(this.targets.sets()).isEqualTo(Map.of( //
				DAILY,
				List.of("2026-11-18", "2026-11-19", "2026-11-20 (unverified)", "2026-11-21 (unverified)",
						"2026-11-22 (unverified)", "2026-11-23 (unverified)", "2026-11-24 (unverified)",
						"2026-11-25 (unverified)", "2026-11-26 (unverified)", "2026-11-27 (unverified)",
						"2026-11-28 (unverified)", "2026-11-29 (unverified)", "2026-11-30 (unverified)",
						"2026-12-01 (unverified)", "2026-12-02 (unverified)", "2026-12-03 (unverified)",
						"2026-12-04 (unverified)"),
				WEEKLY,
				List.of("2026-11-01", "2026-11-08", "2026-11-15", "2026-11-22 (unverified)", "2026-11-29 (unverified)"),
				MONTHLY, List.of("2026-10-01", "2026-11-01", "2026-12-01 (unverified)")));
	}

	private void atLeastTheFloor(Tier tier, Long fewestVerified) {
		assertThat(fewestVerified).as("fewest verified %s sets", tier).isGreaterThanOrEqualTo(2);
	}

	private void removesNothing(RetentionPlan plan) {
		assertThat(plan.cutoff()).isEmpty();
		assertThat(plan.removed()).isEmpty();
	}

	/**
	 * What a run of nights did.
	 *
	 * @param plans every plan, in the order made
	 * @param fewestVerified the fewest verified sets each tier held after any of the
	 * nights
	 */
	record Nights(List<RetentionPlan> plans, Map<Tier, Long> fewestVerified) {

	}

	/** What a night's upload to a tier ends with. */
	enum Upload {

		/** Uploaded and verified: retention runs. */
		VERIFIED,

		/** The upload failed and left no set: retention is left alone. */
		FAILED,

		/** Uploaded, but the verify failed: retention is left alone. */
		UNVERIFIED,

		/**
		 * The verify failed, yet retention runs as if it had not: only the floor protects
		 * the tier.
		 */
		UNVERIFIED_BUT_RETAINED

	}

	/** The three duplicity targets, as lists of sets. */
	static final class Targets {

		static final LocalTime RUN_TIME = LocalTime.of(1, 30);

		final BackupSettings settings;

		final Map<Tier, List<BackupSet>> sets = new EnumMap<>(Tier.class);

		Targets(BackupSettings settings) {
			this.settings = settings;
			for (Tier tier : Tier.values()) {
				this.sets.put(tier, new ArrayList<>());
			}
		}

		/**
		 * Runs a number of nights in a row, checks every plan and applies it.
		 * @return the plans made, and the fewest verified sets each tier had after a
		 * night
		 */
		Nights run(LocalDate first, int nights, Upload upload) {
			List<RetentionPlan> plans = new ArrayList<>();
			Map<Tier, Long> fewestVerified = new EnumMap<>(Tier.class);
			for (int n = 0; n < nights; n++) {
				LocalDate night = first.plusDays(n);
				Instant now = night.atTime(RUN_TIME).atZone(MELBOURNE).toInstant();
				for (Tier tier : Tier.tiersFor(night, this.settings)) {
					plans.add(runTier(tier, now, upload));
				}
				this.sets.forEach((tier, sets) -> fewestVerified.merge(tier,
						sets.stream().filter(BackupSet::verified).count(), Math::min));
			}
			return new Nights(plans, fewestVerified);
		}

		private RetentionPlan runTier(Tier tier, Instant now, Upload upload) {
			List<BackupSet> tierSets = this.sets.get(tier);
			if (upload != Upload.FAILED) {
				tierSets.add(new BackupSet(now, upload == Upload.VERIFIED));
			}
			RetentionPolicy policy = RetentionPolicy.of(this.settings, tier);
			boolean tonightVerified = upload == Upload.VERIFIED || upload == Upload.UNVERIFIED_BUT_RETAINED;
			RetentionPlan plan = new RetentionPlanner(Clock.fixed(now, MELBOURNE)).plan(policy, List.copyOf(tierSets),
					tonightVerified);
			assertExecutable(plan, policy, tierSets);
			// what duplicity remove-older-than <cutoff> does
			plan.cutoff().ifPresent((cutoff) -> tierSets.removeIf((set) -> set.time().isBefore(cutoff)));
			assertThat(tierSets).isEqualTo(plan.kept());
			return plan;
		}

		/** The sets of each tier as local dates, oldest first. */
		Map<Tier, List<String>> sets() {
			Map<Tier, List<String>> dates = new EnumMap<>(Tier.class);
			this.sets.forEach((tier, sets) -> dates.put(tier, sets.stream()
				.map((set) -> LocalDate.ofInstant(set.time(), MELBOURNE) + (set.verified() ? "" : " (unverified)"))
				.toList()));
			return dates;
		}

	}

}
