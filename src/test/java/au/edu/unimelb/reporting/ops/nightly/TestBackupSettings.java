package au.edu.unimelb.reporting.ops.nightly;

import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.ZoneId;

/**
 * Backup settings for the tests of backup and its tiers: retention and calendar only,
 * backup disabled.
 */
public final class TestBackupSettings {

	public static final ZoneId MELBOURNE = ZoneId.of("Australia/Melbourne");

	private TestBackupSettings() {
	}

	public static BackupSettings settings(int keepDays, int keepWeeks, int keepMonths, DayOfWeek weeklyOn,
			int monthlyOn, int minimumKept) {
		return new BackupSettings(false, "0 30 1 * * *", MELBOURNE, "file:///srv/backup/reporting", null, null,
				keepDays, keepWeeks, keepMonths, weeklyOn, monthlyOn, minimumKept, Path.of("data/staging"), null, null,
				Path.of("data/duplicity-cache"), Duration.ofHours(1), "R2/PT1M", 2, true, Duration.ofSeconds(30), 1,
				"512MB");
	}

	/**
	 * The defaults: 7 days, 5 weeks, 12 months, weekly on Sunday, monthly on the 1st,
	 * floor 2.
	 */
	public static BackupSettings defaults() {
		return settings(7, 5, 12, DayOfWeek.SUNDAY, 1, 2);
	}

}
