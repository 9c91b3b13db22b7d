package au.edu.unimelb.reporting.ops.backup;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import au.edu.unimelb.reporting.ops.backup.RetentionPlan.Action;
import au.edu.unimelb.reporting.ops.backup.RetentionPlan.Decision;
import au.edu.unimelb.reporting.ops.nightly.BackupSettings;
import au.edu.unimelb.reporting.ops.nightly.TestBackupSettings;
import au.edu.unimelb.reporting.ops.nightly.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static au.edu.unimelb.reporting.ops.backup.PlanChecks.assertExecutable;
import static au.edu.unimelb.reporting.ops.backup.PlanChecks.at;
import static au.edu.unimelb.reporting.ops.backup.PlanChecks.local;
import static au.edu.unimelb.reporting.ops.nightly.TestBackupSettings.MELBOURNE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One plan at a time, from tables: each row is a set (its Melbourne time, verified or
 * not) with the decision and reason expected for it.
 */
class RetentionPlannerTest {

	static final BackupSettings SETTINGS = TestBackupSettings.defaults();

	static final RetentionPolicy DAILY = RetentionPolicy.of(SETTINGS, Tier.DAILY);

	static final RetentionPolicy WEEKLY = RetentionPolicy.of(SETTINGS, Tier.WEEKLY);

	static final RetentionPolicy MONTHLY = RetentionPolicy.of(SETTINGS, Tier.MONTHLY);

	static final RetentionPolicy ONE_MONTH = new RetentionPolicy(Tier.MONTHLY, 1, 2, MELBOURNE);

	static final String NONE = "none";

	@ParameterizedTest(name = "{0}")
	@MethodSource("plans")
	void plansRetention(Case planCase) {
		List<BackupSet> sets = planCase.rows().stream().map(Row::set).toList();
		RetentionPlan plan = new RetentionPlanner(Clock.fixed(at(planCase.now()), MELBOURNE)).plan(planCase.policy(),
				sets, planCase.tonightVerified());
		assertThat(plan.tier()).isEqualTo(planCase.policy().tier());
		assertThat(plan.decisions().stream().map(Row::of)).containsExactlyElementsOf(planCase.rows());
		assertThat(plan.cutoff().map(PlanChecks::local).orElse(NONE)).as("cutoff").isEqualTo(planCase.cutoff());
		assertExecutable(plan, planCase.policy(), sets);
	}

	static Stream<Case> plans() {
		return Stream.of( //
				plan("nothing to remove", DAILY, "2026-11-30 01:30", true, """
						2026-11-24 01:30 | verified   | keep   | within 7 days
						2026-11-27 01:30 | verified   | keep   | within 7 days
						2026-11-30 01:30 | verified   | keep   | within 7 days
						cutoff none
						"""), //
				// 2026-11-23 01:30 is exactly 7 days old: out, so that a nightly tier
				// keeps 7 sets
				plan("sets older than the window are removed", DAILY, "2026-11-30 01:30", true, """
						2026-11-21 01:30 | verified   | remove | older than 7 days
						2026-11-22 01:30 | verified   | remove | older than 7 days
						2026-11-23 01:30 | verified   | remove | older than 7 days
						2026-11-24 01:30 | verified   | keep   | within 7 days
						2026-11-30 01:30 | verified   | keep   | within 7 days
						cutoff 2026-11-24 01:30
						"""), //
				plan("the floor keeps old sets when recent ones are unverified", DAILY, "2026-11-30 01:30", true, """
						2026-11-20 01:30 | verified   | remove | older than 7 days
						2026-11-21 01:30 | verified   | remove | older than 7 days
						2026-11-22 01:30 | verified   | keep   | one of the newest 2 verified sets (floor)
						2026-11-24 01:30 | unverified | keep   | within 7 days (unverified)
						2026-11-27 01:30 | unverified | keep   | within 7 days (unverified)
						2026-11-30 01:30 | verified   | keep   | within 7 days
						cutoff 2026-11-22 01:30
						"""), //
				plan("tonight unverified: nothing is removed", DAILY, "2026-11-30 01:30", false,
						"""
								2026-11-20 01:30 | verified   | keep   | tonight's upload to daily was not verified: retention left alone
								2026-11-21 01:30 | unverified | keep   | tonight's upload to daily was not verified: retention left alone
								2026-11-29 01:30 | verified   | keep   | tonight's upload to daily was not verified: retention left alone
								2026-11-30 01:30 | unverified | keep   | tonight's upload to daily was not verified: retention left alone
								cutoff none
								"""), //
				plan("an unverified set older than the window is removed", DAILY, "2026-11-30 01:30", true, """
						2026-11-21 01:30 | unverified | remove | unverified and older than 7 days
						2026-11-22 01:30 | verified   | remove | older than 7 days
						2026-11-25 01:30 | unverified | keep   | within 7 days (unverified)
						2026-11-26 01:30 | verified   | keep   | within 7 days
						2026-11-30 01:30 | verified   | keep   | within 7 days
						cutoff 2026-11-25 01:30
						"""), //
				plan("the cutoff is the oldest kept set's time, to the second", DAILY, "2026-11-30 01:30", true, """
						2026-11-22 23:59    | verified   | remove | older than 7 days
						2026-11-23 01:30    | verified   | remove | older than 7 days
						2026-11-23 01:31:07 | verified   | keep   | within 7 days
						2026-11-30 01:30    | verified   | keep   | within 7 days
						cutoff 2026-11-23 01:31:07
						"""), //
				plan("the cutoff is never after the newest set", DAILY, "2026-11-30 01:30", true, """
						2026-11-01 01:30 | unverified | remove | unverified and older than 7 days
						2026-11-02 01:30 | unverified | remove | unverified and older than 7 days
						2026-11-30 01:30 | verified   | keep   | within 7 days
						cutoff 2026-11-30 01:30
						"""), //
				// only if the caller's sets contradict tonightVerified
				plan("the newest set is never removed", DAILY, "2026-11-30 01:30", true, """
						2026-11-01 01:30 | unverified | remove | unverified and older than 7 days
						2026-11-02 01:30 | unverified | keep   | the newest set (never removed)
						cutoff 2026-11-02 01:30
						"""), //
				plan("a set newer than a kept one is kept", DAILY, "2026-11-30 01:30", true,
						"""
								2026-11-18 01:30 | verified   | remove | older than 7 days
								2026-11-19 01:30 | verified   | keep   | one of the newest 2 verified sets (floor)
								2026-11-20 01:30 | unverified | keep   | unverified and older than 7 days, but an older set is kept (remove-older-than removes only the oldest)
								2026-11-21 01:30 | unverified | keep   | unverified and older than 7 days, but an older set is kept (remove-older-than removes only the oldest)
								2026-11-24 01:30 | unverified | keep   | within 7 days (unverified)
								2026-11-30 01:30 | verified   | keep   | within 7 days
								cutoff 2026-11-19 01:30
								"""), //
				plan("no sets, nothing to do", DAILY, "2026-11-30 01:30", true, """
						cutoff none
						"""), //
				// Daylight saving starts on 4 October 2026: 7 days back is 167 hours
				plan("days are calendar days across the start of daylight saving", DAILY, "2026-10-08 01:30", true, """
						2026-10-01 01:30 | verified   | remove | older than 7 days
						2026-10-01 02:15 | verified   | keep   | within 7 days
						2026-10-08 01:30 | verified   | keep   | within 7 days
						cutoff 2026-10-01 02:15
						"""), //
				// Daylight saving ends on 5 April 2026: 7 days back is 169 hours
				plan("days are calendar days across the end of daylight saving", DAILY, "2026-04-08 01:30", true, """
						2026-04-01 01:30 | verified   | remove | older than 7 days
						2026-04-01 02:15 | verified   | keep   | within 7 days
						2026-04-08 01:30 | verified   | keep   | within 7 days
						cutoff 2026-04-01 02:15
						"""), //
				plan("weekly sets are kept for weeks", WEEKLY, "2026-11-29 01:30", true, """
						2026-10-18 01:30 | verified   | remove | older than 5 weeks
						2026-10-25 01:30 | verified   | remove | older than 5 weeks
						2026-11-01 01:30 | verified   | keep   | within 5 weeks
						2026-11-29 01:30 | verified   | keep   | within 5 weeks
						cutoff 2026-11-01 01:30
						"""), //
				plan("monthly sets are kept for calendar months", MONTHLY, "2026-12-01 01:30", true, """
						2025-11-01 01:30 | verified   | remove | older than 12 months
						2025-12-01 01:30 | verified   | remove | older than 12 months
						2026-01-01 01:30 | verified   | keep   | within 12 months
						2026-06-01 01:30 | verified   | keep   | within 12 months
						2026-12-01 01:30 | verified   | keep   | within 12 months
						cutoff 2026-01-01 01:30
						"""), //
				// From 1 November (daylight saving) back to 1 October (standard time)
				plan("a month is a calendar month in the zone", ONE_MONTH, "2026-11-01 01:30", true, """
						2026-09-01 01:30 | verified   | remove | older than 1 month
						2026-10-01 01:30 | verified   | remove | older than 1 month
						2026-10-01 02:30 | verified   | keep   | within 1 month
						2026-11-01 01:30 | verified   | keep   | within 1 month
						cutoff 2026-10-01 02:30
						"""));
	}

	@Test
	void ordersTheDecisionsByTimeWhateverTheOrderOfTheSets() {
		List<BackupSet> newestFirst = List.of(new BackupSet(at("2026-11-30 01:30"), true),
				new BackupSet(at("2026-11-29 01:30"), true), new BackupSet(at("2026-11-01 01:30"), true));
		RetentionPlan plan = new RetentionPlanner(Clock.fixed(at("2026-11-30 01:30"), MELBOURNE)).plan(DAILY,
				newestFirst, true);
		assertThat(plan.decisions().stream().map((decision) -> local(decision.set().time())))
			.containsExactly("2026-11-01 01:30", "2026-11-29 01:30", "2026-11-30 01:30");
		assertThat(plan.removed()).containsExactly(newestFirst.get(2));
		assertThat(plan.kept()).containsExactly(newestFirst.get(1), newestFirst.get(0));
	}

	/**
	 * A case from a table: a row per set ({@code time | verified | keep | reason}), then
	 * {@code cutoff <time>} or {@code cutoff none}.
	 */
	static Case plan(String name, RetentionPolicy policy, String now, boolean tonightVerified, String table) {
		List<String> lines = table.lines().toList();
		String cutoff = lines.get(lines.size() - 1).substring("cutoff ".length());
		return new Case(name, policy, now, tonightVerified, cutoff,
				lines.subList(0, lines.size() - 1).stream().map(Row::parse).toList());
	}

	record Case(String name, RetentionPolicy policy, String now, boolean tonightVerified, String cutoff,
			List<Row> rows) {

		@Override
		public String toString() {
			return this.name;
		}

	}

	/** {@code 2026-11-24 01:30 | verified | keep | within 7 days}. */
	record Row(String time, boolean verified, Action action, String reason) {

		static Row parse(String row) {
			String[] cells = row.split("\\|");
			return new Row(cells[0].trim(), cells[1].trim().equals("verified"),
					Action.valueOf(cells[2].trim().toUpperCase()), cells[3].trim());
		}

		static Row of(Decision decision) {
			return new Row(local(decision.set().time()), decision.set().verified(), decision.action(),
					decision.reason());
		}

		BackupSet set() {
			return new BackupSet(at(this.time), this.verified);
		}

		@Override
		public String toString() {
			return String.join(" | ", this.time, this.verified ? "verified" : "unverified",
					this.action.name().toLowerCase(), this.reason);
		}

	}

}
