package au.edu.unimelb.reporting.ops.nightly;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static au.edu.unimelb.reporting.ops.nightly.Tier.DAILY;
import static au.edu.unimelb.reporting.ops.nightly.Tier.MONTHLY;
import static au.edu.unimelb.reporting.ops.nightly.Tier.WEEKLY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class TierTest {

	@ParameterizedTest(name = "{0} (weekly on {1}, monthly on {2}): {3}")
	@MethodSource("nights")
	void uploadsToTheTiersOfTheNight(String night, DayOfWeek weeklyOn, int monthlyOn, List<Tier> tiers) {
		BackupSettings settings = TestBackupSettings.settings(7, 5, 12, weeklyOn, monthlyOn, 2);
		assertThat(Tier.tiersFor(LocalDate.parse(night), settings)).containsExactlyElementsOf(tiers);
	}

	static Stream<Arguments> nights() {
		return Stream.of(arguments("2026-10-05", DayOfWeek.SUNDAY, 1, List.of(DAILY)), // a
																						// Monday
				arguments("2026-10-04", DayOfWeek.SUNDAY, 1, List.of(DAILY, WEEKLY)), // a
																						// Sunday
				arguments("2026-10-01", DayOfWeek.SUNDAY, 1, List.of(DAILY, MONTHLY)), // a
																						// Thursday
				arguments("2026-11-01", DayOfWeek.SUNDAY, 1, List.of(DAILY, WEEKLY, MONTHLY)), // a
																								// Sunday
				arguments("2026-10-07", DayOfWeek.WEDNESDAY, 1, List.of(DAILY, WEEKLY)),
				arguments("2026-10-04", DayOfWeek.WEDNESDAY, 1, List.of(DAILY)),
				arguments("2027-02-28", DayOfWeek.SUNDAY, 28, List.of(DAILY, WEEKLY, MONTHLY)),
				arguments("2027-03-01", DayOfWeek.SUNDAY, 28, List.of(DAILY)));
	}

	@Test
	void listsTheTiersInOrder() {
		BackupSettings settings = TestBackupSettings.defaults();
		assertThat(Tier.tiersFor(LocalDate.parse("2026-11-01"), settings)).containsExactly(DAILY, WEEKLY, MONTHLY);
	}

	@Test
	void appendsItsSuffixToTheTargetUrlPrefix() {
		BackupSettings settings = TestBackupSettings.defaults();
		assertThat(Stream.of(Tier.values()).map((tier) -> tier.targetUrl(settings))).containsExactly(
				"file:///srv/backup/reporting-daily", "file:///srv/backup/reporting-weekly",
				"file:///srv/backup/reporting-monthly");
	}

}
