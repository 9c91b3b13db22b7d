package au.edu.unimelb.reporting.ops.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings.DatabaseSettings;
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
import au.edu.unimelb.reporting.ops.postgres.Snapshot;
import au.edu.unimelb.reporting.ops.shell.CommandRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * What a nightly-backup run does as a whole: accept it (or record it as skipped), dump
 * the Prod database, decide how the night went and end it; each tier's branch is
 * {@link TierSteps}. The delegates only move variables in and out. What qa-restore shares
 * with it (the lock, the staging folder, duplicity's targets, the records) is in
 * {@code nightly}. Every step can run again after a crash: it finds what an earlier try
 * left and carries on from there.
 */
@Service
public class BackupService {

	private static final Logger log = LoggerFactory.getLogger(BackupService.class);

	private final BackupSettings settings;

	private final CommandRunner runner;

	private final BackupRuns runs;

	private final Staging staging;

	private final BackupRecords records;

	private final BackupTargets targets;

	/** An injected clock (a simulated month in the tests), or {@code null}. */
	private final Clock clock;

	public BackupService(BackupSettings settings, CommandRunner runner, BackupRuns runs, Staging staging,
			BackupRecords records, BackupTargets targets, ObjectProvider<Clock> clock) {
		this.settings = settings;
		this.runner = runner;
		this.runs = runs;
		this.staging = staging;
		this.records = records;
		this.targets = targets;
		this.clock = clock.getIfAvailable();
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
	 * whose row counts go beside the dump (at {@code dump-compression}), checks that
	 * {@code pg_restore --list} reads it and, when the tiers are {@code file://} folders,
	 * encrypts it once into a finished set in the staging folder, which each tier gets a
	 * copy of ({@link TierSteps#upload}) instead of encrypting and uploading it again.
	 * @return the dump's size in bytes
	 * @throws StepFailedException when pg_dump, pg_restore or duplicity fails or the dump
	 * is empty
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
					() -> this.runner.run(postgres.dump(prod, dump, snapshot.name(), this.settings.dumpCompression())));
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
		if (this.targets.dailyTarget().isLocal() && roomToEncryptOnce(runId, size)) {
			encryptOnce(runId);
		}
		return size;
	}

	/**
	 * {@code duplicity full} of the dump folder into the run's {@link Staging#setFolder}:
	 * the one encryption of the night. The set's time comes from an injected clock, as
	 * the tiers' uploads would take it.
	 */
	private void encryptOnce(String runId) {
		DuplicityCommands duplicity = this.targets.duplicity().withArchiveDir(this.staging.setCacheFolder(runId));
		// a URI, so that a staging path with '#', '?' or '%' names this folder and no
		// other
		DuplicityTarget set = DuplicityTarget.file(
				this.staging.setFolder(runId).toAbsolutePath().toUri().toString().replaceFirst("^file:/+", "file:///"));
		long started = System.nanoTime();
		StepFailedException.whenFails(
				"Encrypting the dump to GPG key " + this.settings.gpgKeyId() + " (duplicity full, once for every tier)",
				() -> this.runner.run(duplicity.full(this.staging.dumpFolder(runId), set, "staged",
						(this.clock != null) ? this.clock.instant() : null)));
		log.info("Backup {}: encrypted the dump once into {} in {} ms", runId, set,
				(System.nanoTime() - started) / 1_000_000);
	}

	/**
	 * The set encrypted once is about the dump's size (GnuPG's compression is off): with
	 * less free room than that in the staging folder, each tier encrypts and uploads the
	 * dump itself, as for a remote target, instead of the night failing on a full disk.
	 */
	private boolean roomToEncryptOnce(String runId, long dumpBytes) {
		Path folder = this.staging.dumpFolder(runId);
		try {
			long free = Files.getFileStore(folder).getUsableSpace();
			long needed = dumpBytes + dumpBytes / 10 + 64L * 1024 * 1024;
			if (free < needed) {
				log.warn("Backup {}: {} bytes free in the staging folder, under the {} an encrypted copy of the dump "
						+ "needs: each tier encrypts the dump itself tonight", runId, free, needed);
				return false;
			}
			return true;
		}
		catch (IOException ex) {
			return false;
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
			.filter((detail) -> detail.contains(TierSteps.RETENTION_FAILED))
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
