package au.edu.unimelb.reporting.ops.backup;

import java.nio.file.Path;
import java.time.Duration;
import java.time.DayOfWeek;
import java.time.ZoneId;

/**
 * Backup settings for tests: retention and calendar only, backup disabled.
 */
final class TestBackupSettings {

	static final ZoneId MELBOURNE = ZoneId.of("Australia/Melbourne");

	private TestBackupSettings() {
	}

	static BackupSettings settings(int keepDays, int keepWeeks, int keepMonths, DayOfWeek weeklyOn, int monthlyOn,
			int minimumKept) {
		return new BackupSettings(false, "0 30 1 * * *", MELBOURNE, "file:///srv/backup/reporting", null, null,
				keepDays, keepWeeks, keepMonths, weeklyOn, monthlyOn, minimumKept, Path.of("data/staging"), null, null,
				Path.of("data/duplicity-cache"), Duration.ofHours(1), "R2/PT1M", 2, true, Duration.ofSeconds(30));
	}

	/**
	 * The defaults: 7 days, 5 weeks, 12 months, weekly on Sunday, monthly on the 1st,
	 * floor 2.
	 */
	static BackupSettings defaults() {
		return settings(7, 5, 12, DayOfWeek.SUNDAY, 1, 2);
	}

}
