package au.edu.unimelb.reporting.ops.backup;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import au.edu.unimelb.reporting.ops.backup.RetentionPlan.Action;
import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings.DatabaseSettings;
import au.edu.unimelb.reporting.ops.duplicity.CollectionStatus;
import au.edu.unimelb.reporting.ops.duplicity.DuplicityCommands;
import au.edu.unimelb.reporting.ops.duplicity.DuplicityTarget;
import au.edu.unimelb.reporting.ops.engine.RequestRefusedException;
import au.edu.unimelb.reporting.ops.nightly.BackupRecords;
import au.edu.unimelb.reporting.ops.nightly.BackupRuns;
import au.edu.unimelb.reporting.ops.nightly.BackupSettings;
import au.edu.unimelb.reporting.ops.nightly.BackupTargets;
import au.edu.unimelb.reporting.ops.nightly.RowCounts;
import au.edu.unimelb.reporting.ops.nightly.Staging;
import au.edu.unimelb.reporting.ops.nightly.StepFailedException;
import au.edu.unimelb.reporting.ops.nightly.Tier;
import au.edu.unimelb.reporting.ops.postgres.PostgresCommands;
import au.edu.unimelb.reporting.ops.postgres.PostgresDatabases;
import au.edu.unimelb.reporting.ops.postgres.PostgresDatabases.Snapshot;
import au.edu.unimelb.reporting.ops.shell.CommandRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * What nightly-backup does, step by step; the delegates only move variables in and out.
 * What qa-restore shares with it (the lock, the staging folder, duplicity's targets, the
 * records) is in {@code nightly}. Every step can run again after a crash: it finds what
 * an earlier try left and carries on from there.
 */
@Service
public class BackupService {

	/** How a run's record notes a tier whose retention failed. */
	private static final String RETENTION_FAILED = " retention failed: ";

	private static final Logger log = LoggerFactory.getLogger(BackupService.class);

	private final BackupSettings settings;

	private final CommandRunner runner;

	private final BackupRuns runs;

	private final BackupTargets targets;

	private final Staging staging;

	private final BackupRecords records;

	private final Clock clock;

	/** Whether a clock was injected: then duplicity's sets take their time from it. */
	private final boolean injectedClock;

	public BackupService(BackupSettings settings, CommandRunner runner, BackupRuns runs, BackupTargets targets,
			Staging staging, BackupRecords records, ObjectProvider<Clock> clock) {
		this.settings = settings;
		this.runner = runner;
		this.runs = runs;
		this.targets = targets;
		this.staging = staging;
		this.records = records;
		Clock injected = clock.getIfAvailable();
		this.clock = (injected != null) ? injected : Clock.systemUTC();
		this.injectedClock = injected != null;
	}

	/**
	 * Checks that a backup can run and takes the Prod database's backup lock, in the
	 * transaction that starts the run: a refused request starts nothing.
	 * @return the tiers tonight's run uploads to, in order
	 * @throws RequestRefusedException when backups are off or not configured (400), or a
	 * backup or restore of the database runs (409)
	 */
	public List<String> acceptBackup(String runId, String startedBy, Instant startedAt) {
		return acceptBackup(runId, startedBy, startedAt, false);
	}

	/**
	 * Checks that a backup can run and takes the lock, as
	 * {@link #acceptBackup(String, String, Instant)}.
	 * @param dailyOnly whether only the daily tier is uploaded to (a backup a release
	 * takes before Prod: the weekly and monthly tiers belong to the nights)
	 * @return the tiers this run uploads to, in order
	 */
	public List<String> acceptBackup(String runId, String startedBy, Instant startedAt, boolean dailyOnly) {
		this.runs.requireEnabled();
		DatabaseSettings prod = this.runs.prodDatabase();
		this.runs.lock(runId, prod, startedBy);
		this.records.start(runId, "BACKUP", startedBy);
		LocalDate night = LocalDate.ofInstant(startedAt, this.settings.timeZone());
		List<String> tiers = dailyOnly ? List.of(Tier.DAILY.label())
				: Tier.tiersFor(night, this.settings).stream().map(Tier::label).toList();
		log.info("Backup {} of {} accepted for the night of {} (tiers {}, started by {})", runId, prod.name(), night,
				tiers, startedBy);
		return tiers;
	}

	/**
	 * Records a nightly run that could not start (backups off, another run holds the
	 * lock).
	 */
	public void skip(String runId, String reason) {
		this.records.start(runId, "BACKUP", "timer");
		this.records.finish(runId, NightlyBackupProcess.SKIPPED, reason);
		log.warn("Nightly backup {} skipped: {}", runId, reason);
	}

	/**
	 * Dumps the Prod database into the run's staging folder, from an exported snapshot
	 * whose row counts go beside the dump, and checks that {@code pg_restore --list}
	 * reads it.
	 * @return the dump's size in bytes
	 * @throws StepFailedException when pg_dump or pg_restore fails or the dump is empty
	 */
	public long dump(String runId) {
		DatabaseSettings prod = this.runs.prodDatabase();
		Path folder = this.staging.dumpFolder(runId);
		Staging.deleteTree(this.staging.runFolder(runId));
		Staging.createFolder(folder);
		Path dump = folder.resolve(Staging.DUMP_FILE);
		PostgresDatabases databases = new PostgresDatabases(this.settings.commandTimeout());
		PostgresCommands postgres = new PostgresCommands(this.settings.commandTimeout());
		Map<String, Long> counts;
		try (Snapshot snapshot = databases.exportSnapshot(prod)) {
			StepFailedException.whenFails("pg_dump of " + prod.name(),
					() -> this.runner.run(postgres.dump(prod, dump, snapshot.name())));
			// in the same snapshot, so exactly what the dump holds
			counts = snapshot.rowCounts();
		}
		catch (RuntimeException ex) {
			throw StepFailedException.wrap("Dump of " + prod.name(), ex);
		}
		RowCounts.write(folder.resolve(Staging.ROW_COUNTS_FILE), counts);
		long size = Staging.size(dump);
		if (size == 0) {
			throw new StepFailedException("The dump of " + prod.name() + " is empty");
		}
		StepFailedException.whenFails("pg_restore --list of the dump", () -> this.runner.run(postgres.list(dump)));
		this.records.dumpBytes(runId, size);
		log.info("Backup {}: dumped {} ({} bytes, {} tables)", runId, prod.name(), size, counts.size());
		return size;
	}

	/**
	 * Uploads the run's dump to a tier as a new full set. A set this run already made (an
	 * earlier try that was cut off after its upload) is taken as it is, and what a
	 * cut-off upload left is cleaned up first, so a repeat never leaves two sets.
	 * @return the set's time
	 * @throws StepFailedException when duplicity fails (the step's failure path cleans
	 * up)
	 */
	public Instant upload(String runId, String tierLabel, Instant runStartedAt) {
		Tier tier = Tier.of(tierLabel);
		DuplicityTarget target = this.targets.target(tier);
		DuplicityCommands duplicity = this.targets.duplicity();
		Instant since = runStartedAt.truncatedTo(ChronoUnit.SECONDS);
		CollectionStatus before = this.targets.status(duplicity, target, tier);
		Optional<Instant> made = before.fullSets().stream().filter((time) -> !time.isBefore(since)).reduce((a, b) -> b);
		if (before.hasPartialSets()) {
			StepFailedException.whenFails("duplicity cleanup of " + target,
					() -> this.runner.run(duplicity.cleanup(target, BackupTargets.name(tier))));
		}
		if (made.isPresent()) {
			log.info("Backup {}: {} already holds this run's set of {}; not uploading again", runId, target,
					made.get());
			this.records.uploaded(runId, tier.label(), made.get(), Staging.folderSize(this.staging.dumpFolder(runId)),
					0);
			return made.get();
		}
		long started = System.nanoTime();
		StepFailedException.whenFails("duplicity full to " + target,
				() -> this.runner.run(duplicity.full(this.staging.dumpFolder(runId), target, BackupTargets.name(tier),
						this.injectedClock ? this.clock.instant() : null)));
		long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
		Instant setTime = this.targets.status(duplicity, target, tier).newest();
		if (setTime == null || setTime.isBefore(since)) {
			throw new StepFailedException(
					"duplicity full to " + target + " ended, but " + target + " holds no set made since " + since);
		}
		this.records.uploaded(runId, tier.label(), setTime, Staging.folderSize(this.staging.dumpFolder(runId)), millis);
		log.info("Backup {}: uploaded set {} to {} in {} ms", runId, setTime, target, millis);
		return setTime;
	}

	/**
	 * Verifies a tier's new set: collection-status lists it as complete, and
	 * {@code verify --compare-data} decrypts it and finds it equal to the staged dump.
	 * @throws StepFailedException when it does not verify
	 */
	public void verify(String runId, String tierLabel, Instant setTime) {
		Tier tier = Tier.of(tierLabel);
		DuplicityTarget target = this.targets.target(tier);
		DuplicityCommands duplicity = this.targets.duplicity();
		CollectionStatus status = this.targets.status(duplicity, target, tier);
		if (!status.fullSets().contains(setTime)) {
			throw new StepFailedException(target + " does not list the set of " + setTime + " as complete");
		}
		if (!setTime.equals(status.newest())) {
			throw new StepFailedException(target + " holds a set newer than " + setTime + "; not verifying");
		}
		StepFailedException.whenFails("duplicity verify of " + target, () -> this.runner
			.run(duplicity.verify(target, BackupTargets.name(tier), this.staging.dumpFolder(runId))));
		this.records.verified(tier.label(), setTime);
		log.info("Backup {}: set {} in {} verified", runId, setTime, target);
	}

	/**
	 * Applies a tier's retention after its verified upload: plans it from the sets
	 * duplicity lists and the records of which were verified, then removes the planned
	 * sets with {@code remove-older-than}.
	 * @return one line per set: its time, keep or remove, and why
	 */
	public String applyRetention(String runId, String tierLabel, Instant setTime) {
		Tier tier = Tier.of(tierLabel);
		if (!this.records.isVerified(tier.label(), setTime)) {
			return "Retention left alone: tonight's set " + setTime + " in " + tier.label() + " is not verified";
		}
		DuplicityTarget target = this.targets.target(tier);
		DuplicityCommands duplicity = this.targets.duplicity();
		List<BackupSet> sets = this.targets.status(duplicity, target, tier)
			.fullSets()
			.stream()
			.map((time) -> new BackupSet(time, this.records.isVerified(tier.label(), time)))
			.toList();
		RetentionPlan plan = new RetentionPlanner(this.clock).plan(RetentionPolicy.of(this.settings, tier), sets, true);
		if (plan.cutoff().isPresent()) {
			StepFailedException.whenFails("duplicity remove-older-than on " + target, () -> this.runner
				.run(duplicity.removeOlderThan(target, BackupTargets.name(tier), plan.cutoff().get())));
			List<Instant> left = this.targets.status(duplicity, target, tier).fullSets();
			for (BackupSet removed : plan.removed()) {
				if (left.contains(removed.time())) {
					throw new StepFailedException("remove-older-than on " + target + " did not remove the set of "
							+ removed.time() + "; the sets are now " + left);
				}
				this.records.removed(tier.label(), removed.time());
			}
		}
		String summary = plan.decisions()
			.stream()
			.map((decision) -> decision.set().time() + " " + decision.action().name().toLowerCase(Locale.ROOT) + ": "
					+ decision.reason())
			.collect(Collectors.joining("\n"));
		long removedCount = plan.decisions().stream().filter((d) -> d.action() == Action.REMOVE).count();
		log.info("Backup {}: retention of {} kept {} and removed {} set(s)", runId, tier.label(), plan.kept().size(),
				removedCount);
		return summary;
	}

	/**
	 * Notes in the run's record that a tier's set verified but its retention failed (on
	 * its last try): the night counts as incomplete, so the operator is told, and the
	 * older sets stay until a later night's retention removes them.
	 */
	public void noteRetentionFailure(String runId, String tierLabel, String reason) {
		this.records.note(runId, tierLabel + RETENTION_FAILED + reason);
		log.warn("Backup {}: the {} tier's retention failed: {}", runId, tierLabel, reason);
	}

	/** Notes in the run's record that a tier failed, and why. */
	public void noteTierFailure(String runId, String tierLabel, String reason) {
		this.records.note(runId, tierLabel + " failed: " + reason);
		log.warn("Backup {}: the {} tier failed: {}", runId, tierLabel, reason);
	}

	/**
	 * After a failed upload or verify: deletes what the failed upload left (never a
	 * complete older set). A failing cleanup is logged, not thrown: the next upload to
	 * the tier cleans up again first.
	 */
	public void cleanUpTier(String runId, String tierLabel) {
		Tier tier = Tier.of(tierLabel);
		DuplicityTarget target = this.targets.target(tier);
		try {
			this.runner.run(this.targets.duplicity().cleanup(target, BackupTargets.name(tier)));
		}
		catch (RuntimeException ex) {
			log.warn("Backup {}: duplicity cleanup of {} failed too: {}", runId, target, ex.getMessage());
		}
	}

	/**
	 * Decides how the run went from its records: which planned tiers hold a verified set.
	 * @return {@link NightlyBackupProcess#BACKED_UP} when every tier verified and its
	 * retention ran, otherwise {@link NightlyBackupProcess#INCOMPLETE}
	 */
	public String outcome(String runId, List<String> tiers) {
		List<String> verified = this.records.setsOfRun(runId)
			.stream()
			.filter(BackupRecords.BackupSetRecord::verified)
			.map(BackupRecords.BackupSetRecord::tier)
			.toList();
		boolean retentionFailed = this.records.run(runId)
			.map(BackupRecords.BackupRun::detail)
			.filter((detail) -> detail.contains(RETENTION_FAILED))
			.isPresent();
		return (verified.containsAll(tiers) && !retentionFailed) ? NightlyBackupProcess.BACKED_UP
				: NightlyBackupProcess.INCOMPLETE;
	}

	/**
	 * Ends the work of a run (after its tiers, or after a failed dump): decides the
	 * outcome, closes the run's record, deletes its staging folder and, unless a QA
	 * restore takes the lock over next, releases the lock. Done before the run reports a
	 * failed night, so that a report waiting for an operator holds nothing tomorrow's run
	 * needs.
	 * @param tiers the tiers the run planned
	 * @param dumpFailure why the dump failed, or {@code null}
	 * @param forRelease whether a release takes this backup (no QA restore after it)
	 */
	public NightEnd endNight(String runId, List<String> tiers, String dumpFailure, boolean forRelease) {
		boolean dailyVerified = verified(runId, Tier.DAILY.label());
		String outcome;
		String recorded;
		String detail;
		if (dumpFailure != null) {
			outcome = NightlyBackupProcess.FAILED;
			recorded = dumpFailure;
			detail = dumpFailure;
		}
		else {
			outcome = outcome(runId, tiers);
			List<String> missing = tiers.stream().filter((tier) -> !verified(runId, tier)).toList();
			// the record already holds each tier's reason (noteTierFailure)
			recorded = missing.isEmpty() ? null : "Not verified: " + String.join(", ", missing);
			String notes = this.records.run(runId).map(BackupRecords.BackupRun::detail).orElse(null);
			detail = (recorded == null) ? null : recorded + ((notes != null) ? " (" + notes + ")" : "");
		}
		boolean qaRestoreNext = dailyVerified && this.settings.qaRestoreAfter() && !forRelease;
		this.records.finish(runId, outcome, recorded);
		Staging.deleteTree(this.staging.runFolder(runId));
		if (!qaRestoreNext) {
			this.runs.releaseLock(runId);
		}
		log.info("Backup {} ended {}{}", runId, outcome, (detail != null) ? ": " + detail : "");
		return new NightEnd(outcome, detail, dailyVerified, qaRestoreNext);
	}

	/**
	 * How a run's work ended.
	 *
	 * @param outcome {@code BACKED_UP}, {@code INCOMPLETE} or {@code FAILED}
	 * @param detail why it is not {@code BACKED_UP} (the tiers and their reasons), or
	 * {@code null}
	 * @param dailyVerified whether tonight's daily set verified
	 * @param qaRestoreNext whether a QA restore takes the lock over next
	 */
	public record NightEnd(String outcome, String detail, boolean dailyVerified, boolean qaRestoreNext) {
	}

	public boolean verified(String runId, String tier) {
		return this.records.setsOfRun(runId).stream().anyMatch((set) -> set.tier().equals(tier) && set.verified());
	}

	/**
	 * Ends a backup run however it ended: closes its record, deletes its staging folder
	 * and releases the lock, in the transaction that ends the run.
	 */
	public void finish(String runId, String outcome, String detail) {
		this.runs.finish(runId, outcome, detail);
	}

	/** Releases the lock early, so that the qa-restore this run starts can take it. */
	public void handOverLock(String runId) {
		this.runs.handOverLock(runId);
	}

}
