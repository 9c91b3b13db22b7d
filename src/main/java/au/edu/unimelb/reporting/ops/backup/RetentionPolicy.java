package au.edu.unimelb.reporting.ops.backup;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Objects;

import au.edu.unimelb.reporting.ops.nightly.BackupSettings;
import au.edu.unimelb.reporting.ops.nightly.Tier;

/**
 * How long one tier keeps its sets, and the floor it never goes below.
 *
 * @param tier the tier
 * @param keep how many of the tier's units (days, weeks or months) a set is kept for
 * @param minimumKept how many of the newest verified sets are kept whatever their age
 * @param zone the time zone days and months are counted in, so that across a change of
 * daylight saving a day is a calendar day, not 24 hours
 */
record RetentionPolicy(Tier tier, int keep, int minimumKept, ZoneId zone) {

	RetentionPolicy {
		Objects.requireNonNull(tier, "tier");
		Objects.requireNonNull(zone, "zone");
		if (keep < 1 || minimumKept < 1) {
			throw new IllegalArgumentException("keep and minimumKept must be at least 1");
		}
	}

	/**
	 * Returns the policy of one tier from the backup settings.
	 * @param settings the backup settings
	 * @param tier the tier
	 * @return {@code keep-days}, {@code keep-weeks} or {@code keep-months} for the tier,
	 * with {@code minimum-kept} and {@code time-zone}
	 */
	static RetentionPolicy of(BackupSettings settings, Tier tier) {
		int keep = switch (tier) {
			case DAILY -> settings.keepDays();
			case WEEKLY -> settings.keepWeeks();
			case MONTHLY -> settings.keepMonths();
		};
		return new RetentionPolicy(tier, keep, settings.minimumKept(), settings.timeZone());
	}

	/**
	 * Tells whether a set is younger than the retention window: made after the same local
	 * time {@code keep} units before now. A set made at 01:30 seven nights ago is out of
	 * a 7-day window at 01:30 tonight, so a nightly tier keeps 7 sets.
	 * @param time when the set was made
	 * @param now the time of the run
	 * @return {@code true} if the set is within the window
	 */
	boolean isWithin(Instant time, Instant now) {
		return time.isAfter(now.atZone(this.zone).minus(this.keep, this.tier.unit()).toInstant());
	}

	/**
	 * Describes the window for reasons.
	 * @return {@code 7 days}, {@code 1 week}, {@code 12 months}
	 */
	String window() {
		String unit = this.tier.unit().toString().toLowerCase(Locale.ROOT);
		return this.keep + " " + ((this.keep != 1) ? unit : unit.substring(0, unit.length() - 1));
	}

}
