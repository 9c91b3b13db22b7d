package au.edu.unimelb.reporting.ops.backup;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import au.edu.unimelb.reporting.ops.engine.AfterCommit;
import au.edu.unimelb.reporting.ops.engine.MetricsReads;
import au.edu.unimelb.reporting.ops.nightly.BackupRecords;
import au.edu.unimelb.reporting.ops.nightly.BackupRecords.BackupRun;
import au.edu.unimelb.reporting.ops.nightly.Tier;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Prometheus gauges of the backups and of QA's data, read from the backup records by
 * {@link MetricsReads} (off the scrape's thread, queries bounded; a failing read leaves
 * the last values):
 * <ul>
 * <li>{@code reporting_backup_last_verified_age_seconds{tier}}: the age of the newest
 * verified set that retention has not removed (NaN when the tier has none). Alert on it:
 * it keeps growing when nightly backups fail, whatever the reason.</li>
 * <li>{@code reporting_backup_last_run_success} (1 when the last backup run that ended
 * backed up every tier, else 0) and {@code reporting_backup_dump_size_bytes} (its dump),
 * both absent before any run ended; skipped nights do not count.</li>
 * <li>{@code reporting_backup_dump_duration_seconds}: a histogram of the dumps that
 * succeeded, timed by {@link DumpDatabaseDelegate};</li>
 * <li>{@code reporting_backup_upload_duration_seconds{tier}}: how long the tier's newest
 * upload took.</li>
 * <li>{@code reporting_qa_data_age_seconds} (the age of the backup QA holds: its set's
 * time), {@code reporting_qa_last_restore_age_seconds} and
 * {@code reporting_qa_restore_duration_seconds}, of the last restore that swapped its
 * copy into QA (NaN before any), however many restores failed since.</li>
 * </ul>
 */
@Component
class BackupMetrics {

	private final MeterRegistry registry;

	private final BackupRecords records;

	private final Clock clock;

	private volatile Map<String, Instant> verified = Map.of();

	private volatile Map<String, Long> uploadMillis = Map.of();

	private volatile BackupRun lastBackup;

	private volatile BackupRun lastRestore;

	private boolean runGauges;

	@Autowired
	BackupMetrics(MeterRegistry registry, MetricsReads reads, ObjectProvider<Clock> clock) {
		// the same records, with the metrics' bounded queries
		this(registry, new BackupRecords(reads.jdbc()), clock.getIfAvailable(Clock::systemUTC));
		reads.add("backups", "the backup records", this::refresh);
	}

	BackupMetrics(MeterRegistry registry, BackupRecords records, Clock clock) {
		this.registry = registry;
		this.records = records;
		this.clock = clock;
		for (Tier tier : Tier.values()) {
			Gauge.builder("reporting.backup.last.verified.age", this, (m) -> m.age(m.verified.get(tier.label())))
				.description("Age of the newest verified backup set of the tier")
				.baseUnit("seconds")
				.tag("tier", tier.label())
				.register(registry);
			Gauge
				.builder("reporting.backup.upload.duration", this,
						(m) -> Optional.ofNullable(m.uploadMillis.get(tier.label()))
							.map((millis) -> millis / 1000.0)
							.orElse(Double.NaN))
				.description("How long the newest upload of the tier took")
				.baseUnit("seconds")
				.tag("tier", tier.label())
				.register(registry);
		}
		Gauge
			.builder("reporting.qa.data.age", this,
					(m) -> m.age(Optional.ofNullable(m.lastRestore).map(BackupRun::backupTime).orElse(null)))
			.description("Age of the data QA holds: the time of the backup set it was restored from")
			.baseUnit("seconds")
			.register(registry);
		Gauge
			.builder("reporting.qa.last.restore.age", this,
					(m) -> m.age(Optional.ofNullable(m.lastRestore).map(BackupRun::endedAt).orElse(null)))
			.description("Time since the last restore into QA ended")
			.baseUnit("seconds")
			.register(registry);
		Gauge
			.builder("reporting.qa.restore.duration", this,
					(m) -> Optional.ofNullable(m.lastRestore)
						.map((run) -> Duration.between(run.startedAt(), run.endedAt()).toMillis() / 1000.0)
						.orElse(Double.NaN))
			.description("How long the last restore into QA took")
			.baseUnit("seconds")
			.register(registry);
	}

	/**
	 * Times a dump that succeeded, once its step commits
	 * ({@code reporting_backup_dump_duration_seconds}).
	 */
	void dumped(Duration duration) {
		AfterCommit.run(() -> Timer.builder("reporting.backup.dump.duration")
			.description("How long the dumps of the Prod database took")
			.serviceLevelObjectives(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15),
					Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2))
			.register(this.registry)
			.record(duration));
	}

	/** Reads the records (as {@link MetricsReads} does when the service is ready). */
	void started() {
		refresh();
	}

	private double age(Instant since) {
		return (since != null) ? Math.max(0, Duration.between(since, this.clock.instant()).toMillis() / 1000.0)
				: Double.NaN;
	}

	/**
	 * Reads the records; a failure is thrown to {@link MetricsReads}, and the last values
	 * stay (all of them: nothing is kept of a read that failed half-way).
	 */
	synchronized void refresh() {
		Map<String, Instant> newest = new HashMap<>();
		for (Tier tier : Tier.values()) {
			this.records.lastVerified(tier.label()).ifPresent((time) -> newest.put(tier.label(), time));
		}
		Map<String, Long> uploads = this.records.lastUploadMillis();
		BackupRun backup = this.records.lastEndedExcept("BACKUP", NightlyBackupProcess.SKIPPED).orElse(null);
		BackupRun restore = this.records.lastEnded(BackupRecords.RESTORE, BackupRecords.RESTORED).orElse(null);
		this.verified = newest;
		this.uploadMillis = uploads;
		this.lastBackup = backup;
		this.lastRestore = restore;
		if (this.lastBackup != null && !this.runGauges) {
			// absent until a run ended, so that an alert on 0 does not fire on a new
			// service
			this.runGauges = true;
			Gauge.builder("reporting.backup.last.run.success", this, BackupMetrics::lastBackupSucceeded)
				.description("1 when the last backup run that ended backed up every tier, else 0")
				.register(this.registry);
			Gauge
				.builder("reporting.backup.dump.size", this,
						(m) -> Optional.ofNullable(m.lastBackup)
							.map(BackupRun::dumpBytes)
							.map(Long::doubleValue)
							.orElse(Double.NaN))
				.description("The size of the last backup run's dump")
				.baseUnit("bytes")
				.register(this.registry);
		}
	}

	private double lastBackupSucceeded() {
		BackupRun last = this.lastBackup;
		if (last == null) {
			return Double.NaN;
		}
		return NightlyBackupProcess.BACKED_UP.equals(last.outcome()) ? 1 : 0;
	}

}
