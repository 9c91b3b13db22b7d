package au.edu.unimelb.reporting.ops.nightly;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The three backup tiers. Each is its own duplicity target ({@code target-url-prefix}
 * plus the tier's suffix) and keeps its sets for a number of its own units: days, weeks
 * or calendar months.
 */
public enum Tier {

	/** Every night; kept for {@code keep-days} days. */
	DAILY("-daily", ChronoUnit.DAYS),

	/** On {@code weekly-on}; kept for {@code keep-weeks} weeks. */
	WEEKLY("-weekly", ChronoUnit.WEEKS),

	/** On day {@code monthly-on} of the month; kept for {@code keep-months} months. */
	MONTHLY("-monthly", ChronoUnit.MONTHS);

	private final String suffix;

	private final ChronoUnit unit;

	Tier(String suffix, ChronoUnit unit) {
		this.suffix = suffix;
		this.unit = unit;
	}

	/**
	 * Returns what the tier appends to the target URL prefix.
	 * @return {@code -daily}, {@code -weekly} or {@code -monthly}
	 */
	public String suffix() {
		return this.suffix;
	}

	/**
	 * Returns the tier's duplicity target.
	 * @param settings the backup settings
	 * @return the target URL prefix with the tier's suffix
	 * ({@code swift://reporting-daily})
	 */
	public String targetUrl(BackupSettings settings) {
		return settings.targetUrlPrefix() + this.suffix;
	}

	/**
	 * Returns the unit the tier's retention is counted in.
	 * @return days, weeks or months
	 */
	public ChronoUnit unit() {
		return this.unit;
	}

	/**
	 * Returns the tier's name as people read it in logs and reasons.
	 * @return {@code daily}, {@code weekly} or {@code monthly}
	 */
	public String label() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * Finds a tier by its label.
	 * @param label {@code daily}, {@code weekly} or {@code monthly}
	 * @return the tier
	 */
	public static Tier of(String label) {
		for (Tier tier : values()) {
			if (tier.label().equals(label)) {
				return tier;
			}
		}
		throw new IllegalArgumentException("Unknown backup tier: " + label);
	}

	/**
	 * Returns the tiers a night's run uploads to: the daily tier always, the weekly tier
	 * on {@code weekly-on}, the monthly tier on day {@code monthly-on}.
	 * @param night the date, in the backup's time zone, the run starts on (a run at 01:30
	 * on a Sunday is Sunday's)
	 * @param settings the backup settings
	 * @return the tiers, in the order daily, weekly, monthly
	 */
	public static Set<Tier> tiersFor(LocalDate night, BackupSettings settings) {
		Set<Tier> tiers = EnumSet.of(DAILY);
		if (night.getDayOfWeek() == settings.weeklyOn()) {
			tiers.add(WEEKLY);
		}
		if (night.getDayOfMonth() == settings.monthlyOn()) {
			tiers.add(MONTHLY);
		}
		return Collections.unmodifiableSet(tiers);
	}

}
