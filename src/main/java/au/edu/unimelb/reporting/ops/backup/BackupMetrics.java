package au.edu.unimelb.reporting.ops.backup;

import java.time.Clock;
import java.time.Duration;

import au.edu.unimelb.reporting.ops.nightly.BackupRecords;
import au.edu.unimelb.reporting.ops.nightly.Tier;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Prometheus gauges of the backups: {@code reporting_backup_last_verified_age_seconds}
 * per tier, the age of the newest verified set that retention has not removed (NaN when
 * the tier has none), read from the backup records at every scrape. Alert on it: it keeps
 * growing when nightly backups fail, whatever the reason.
 */
@Component
class BackupMetrics {

	BackupMetrics(MeterRegistry registry, BackupRecords records, ObjectProvider<Clock> clock) {
		Clock now = clock.getIfAvailable(Clock::systemUTC);
		for (Tier tier : Tier.values()) {
			Gauge
				.builder("reporting.backup.last.verified.age", records,
						(r) -> r.lastVerified(tier.label())
							.map((time) -> (double) Duration.between(time, now.instant()).toSeconds())
							.orElse(Double.NaN))
				.description("Age of the newest verified backup set of the tier")
				.baseUnit("seconds")
				.tag("tier", tier.label())
				.register(registry);
		}
	}

}
