package au.edu.unimelb.reporting.ops.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import au.edu.unimelb.reporting.ops.backup.RetentionPlan.Action;
import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings;
import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings.DatabaseSettings;
import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings.EnvironmentSettings;
import au.edu.unimelb.reporting.ops.duplicity.CollectionStatus;
import au.edu.unimelb.reporting.ops.duplicity.DuplicityCommands;
import au.edu.unimelb.reporting.ops.duplicity.DuplicityTarget;
import au.edu.unimelb.reporting.ops.engine.RequestRefusedException;
import au.edu.unimelb.reporting.ops.lock.LockHeldException;
import au.edu.unimelb.reporting.ops.lock.Locks;
import au.edu.unimelb.reporting.ops.postgres.PostgresCommands;
import au.edu.unimelb.reporting.ops.postgres.PostgresDatabases;
import au.edu.unimelb.reporting.ops.postgres.PostgresDatabases.Snapshot;
import au.edu.unimelb.reporting.ops.shell.CommandResult;
import au.edu.unimelb.reporting.ops.shell.CommandRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * What nightly-backup does, step by step, and the parts qa-restore shares with it (the
 * lock, the staging folder, duplicity's targets); the delegates only move variables in
 * and out. Every step can run again after a crash: it finds what an earlier try left and
 * carries on from there.
 */
@Service
public class BackupService {

	/** How a run's record notes a tier whose retention failed. */
	private static final String RETENTION_FAILED = " retention failed: ";

	private static final Logger log = LoggerFactory.getLogger(BackupService.class);

	/** The dump's file name inside a run's staging folder. */
	public static final String DUMP_FILE = "prod.dump";

	/** The row counts taken in the dump's snapshot: {@code schema.table<TAB>rows}. */
	public static final String ROW_COUNTS_FILE = "row-counts.tsv";

	private final BackupSettings settings;

	private final EnvironmentsSettings environments;

	private final CommandRunner runner;

	private final Locks locks;

	private final BackupRecords records;

	private final Clock clock;

	/** Whether a clock was injected: then duplicity's sets take their time from it. */
	private final boolean injectedClock;

	public BackupService(BackupSettings settings, EnvironmentsSettings environments, CommandRunner runner, Locks locks,
			BackupRecords records, ObjectProvider<Clock> clock) {
		this.settings = settings;
		this.environments = environments;
		this.runner = runner;
		this.locks = locks;
		this.records = records;
		Clock injected = clock.getIfAvailable();
		this.clock = (injected != null) ? injected : Clock.systemUTC();
		this.injectedClock = injected != null;
	}

	public BackupSettings settings() {
		return this.settings;
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
		requireEnabled();
		DatabaseSettings prod = prodDatabase();
		lock(runId, prod, startedBy);
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
		DatabaseSettings prod = prodDatabase();
		Path folder = dumpFolder(runId);
		deleteTree(runFolder(runId));
		createFolder(folder);
		Path dump = folder.resolve(DUMP_FILE);
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
		writeRowCounts(folder.resolve(ROW_COUNTS_FILE), counts);
		long size = size(dump);
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
		DuplicityTarget target = target(tier);
		DuplicityCommands duplicity = duplicity();
		Instant since = runStartedAt.truncatedTo(ChronoUnit.SECONDS);
		CollectionStatus before = status(duplicity, target, tier);
		Optional<Instant> made = before.fullSets().stream().filter((time) -> !time.isBefore(since)).reduce((a, b) -> b);
		if (before.hasPartialSets()) {
			StepFailedException.whenFails("duplicity cleanup of " + target,
					() -> this.runner.run(duplicity.cleanup(target, name(tier))));
		}
		if (made.isPresent()) {
			log.info("Backup {}: {} already holds this run's set of {}; not uploading again", runId, target,
					made.get());
			this.records.uploaded(runId, tier.label(), made.get(), folderSize(dumpFolder(runId)), 0);
			return made.get();
		}
		long started = System.nanoTime();
		StepFailedException.whenFails("duplicity full to " + target, () -> this.runner.run(duplicity
			.full(dumpFolder(runId), target, name(tier), this.injectedClock ? this.clock.instant() : null)));
		long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
		Instant setTime = status(duplicity, target, tier).newest();
		if (setTime == null || setTime.isBefore(since)) {
			throw new StepFailedException(
					"duplicity full to " + target + " ended, but " + target + " holds no set made since " + since);
		}
		this.records.uploaded(runId, tier.label(), setTime, folderSize(dumpFolder(runId)), millis);
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
		DuplicityTarget target = target(tier);
		DuplicityCommands duplicity = duplicity();
		CollectionStatus status = status(duplicity, target, tier);
		if (!status.fullSets().contains(setTime)) {
			throw new StepFailedException(target + " does not list the set of " + setTime + " as complete");
		}
		if (!setTime.equals(status.newest())) {
			throw new StepFailedException(target + " holds a set newer than " + setTime + "; not verifying");
		}
		StepFailedException.whenFails("duplicity verify of " + target,
				() -> this.runner.run(duplicity.verify(target, name(tier), dumpFolder(runId))));
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
		DuplicityTarget target = target(tier);
		DuplicityCommands duplicity = duplicity();
		List<BackupSet> sets = status(duplicity, target, tier).fullSets()
			.stream()
			.map((time) -> new BackupSet(time, this.records.isVerified(tier.label(), time)))
			.toList();
		RetentionPlan plan = new RetentionPlanner(this.clock).plan(RetentionPolicy.of(this.settings, tier), sets, true);
		if (plan.cutoff().isPresent()) {
			StepFailedException.whenFails("duplicity remove-older-than on " + target,
					() -> this.runner.run(duplicity.removeOlderThan(target, name(tier), plan.cutoff().get())));
			List<Instant> left = status(duplicity, target, tier).fullSets();
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
		DuplicityTarget target = target(tier);
		try {
			this.runner.run(duplicity().cleanup(target, name(tier)));
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
		deleteTree(runFolder(runId));
		if (!qaRestoreNext) {
			this.environments.find("prod")
				.map(EnvironmentSettings::database)
				.ifPresent((prod) -> this.locks.release(lockName(prod), runId));
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
	 * Ends a backup or restore run: closes its record, deletes its staging folder and
	 * releases the lock, in the transaction that ends the run.
	 */
	public void finish(String runId, String outcome, String detail) {
		this.records.finish(runId, outcome, detail);
		deleteTree(runFolder(runId));
		this.environments.find("prod")
			.map(EnvironmentSettings::database)
			.ifPresent((prod) -> this.locks.release(lockName(prod), runId));
	}

	/**
	 * Releases the backup lock a restore holds once QA holds the restored data: what is
	 * left (QA's migrations over SSH) touches neither Prod nor the backups, and a
	 * migration waiting as an incident must not keep the next night from backing Prod up.
	 */
	public void releaseAfterSwap(String runId) {
		this.locks.release(lockName(prodDatabase()), runId);
	}

	/** Releases the lock early, so that the qa-restore this run starts can take it. */
	public void handOverLock(String runId) {
		this.locks.release(lockName(prodDatabase()), runId);
	}

	// ---- shared with qa-restore

	/**
	 * Takes the Prod database's backup lock for a run.
	 * @throws RequestRefusedException (409) when another backup or restore holds it
	 */
	public void lock(String runId, DatabaseSettings prod, String startedBy) {
		try {
			this.locks.acquire(lockName(prod), runId, startedBy);
		}
		catch (LockHeldException held) {
			throw RequestRefusedException.lockedByAnotherRun(held);
		}
	}

	/** The lock that one backup or restore of a database holds. */
	public static String lockName(DatabaseSettings database) {
		return "backup:" + database.host().toLowerCase(Locale.ROOT) + ":" + database.port() + "/" + database.name();
	}

	public DatabaseSettings prodDatabase() {
		return this.environments.find("prod")
			.map(EnvironmentSettings::database)
			.orElseThrow(() -> RequestRefusedException
				.badInput("The Prod environment is not configured (ops.environments.prod): nothing to back up"));
	}

	public void requireEnabled() {
		if (!this.settings.enabled()) {
			throw RequestRefusedException
				.conflict("Backups are switched off on this service (ops.backup.enabled is false)");
		}
	}

	/** A run's staging folder. */
	public Path runFolder(String runId) {
		return this.settings.stagingDir().resolve(runId.replaceAll("[^A-Za-z0-9-]", "_"));
	}

	/**
	 * The folder a backup run stages its dump and row counts in (what duplicity uploads).
	 */
	public Path dumpFolder(String runId) {
		return runFolder(runId).resolve("dump");
	}

	/**
	 * The duplicity commands, with the GnuPG key, cache, timeout and transfer retry delay
	 * of the settings; the GnuPG home's agent is running, started clean (see
	 * {@link DuplicityCommands#startAgent}), so whatever a command decrypts it decrypts
	 * through that agent.
	 */
	public DuplicityCommands duplicity() {
		DuplicityCommands commands = new DuplicityCommands(this.settings.gpgKeyId(), this.settings.gpgPassphrase(),
				this.settings.gnupgHome(), this.settings.archiveDir(), this.settings.commandTimeout(),
				this.settings.transferRetryDelay());
		commands.startAgent(this.runner);
		return commands;
	}

	/** The daily tier's target, which qa-restore restores from. */
	public DuplicityTarget dailyTarget() {
		return target(Tier.DAILY);
	}

	/** Duplicity's name for a tier's cache ({@code --name}). */
	public static String dailyName() {
		return name(Tier.DAILY);
	}

	/** Reads a tier's sets. */
	public CollectionStatus dailyStatus() {
		return status(duplicity(), dailyTarget(), Tier.DAILY);
	}

	DuplicityTarget target(Tier tier) {
		String url = tier.targetUrl(this.settings);
		BackupSettings.SwiftSettings swift = this.settings.swift();
		if (url.startsWith("swift://")) {
			return new DuplicityTarget(url, swift.authUrl(), swift.authVersion(), swift.user(), swift.key());
		}
		return DuplicityTarget.file(url);
	}

	private CollectionStatus status(DuplicityCommands duplicity, DuplicityTarget target, Tier tier) {
		CommandResult result = StepFailedException.whenFails("duplicity collection-status of " + target,
				() -> this.runner.run(duplicity.collectionStatus(target, name(tier))));
		return CollectionStatus.parse(result.stdout());
	}

	private static String name(Tier tier) {
		return "reporting" + tier.suffix();
	}

	private static void writeRowCounts(Path file, Map<String, Long> counts) {
		String text = counts.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + "\t" + entry.getValue() + "\n")
			.collect(Collectors.joining());
		try {
			Files.writeString(file, text, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write " + file, ex);
		}
	}

	/**
	 * Reads the row counts a backup recorded.
	 * @param file the {@value #ROW_COUNTS_FILE} of a dump
	 * @return {@code schema.table -> rows}
	 */
	public static Map<String, Long> readRowCounts(Path file) {
		Map<String, Long> counts = new LinkedHashMap<>();
		try {
			for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
				if (!line.isBlank()) {
					int tab = line.lastIndexOf('\t');
					counts.put(line.substring(0, tab), Long.parseLong(line.substring(tab + 1)));
				}
			}
		}
		catch (IOException ex) {
			throw new StepFailedException("Cannot read the backup's row counts " + file + ": " + ex.getMessage());
		}
		return counts;
	}

	private static void createFolder(Path folder) {
		try {
			Files.createDirectories(folder);
		}
		catch (IOException ex) {
			throw new StepFailedException("Cannot create the staging folder " + folder + ": " + ex.getMessage());
		}
	}

	private static long size(Path file) {
		try {
			return Files.exists(file) ? Files.size(file) : 0;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static long folderSize(Path folder) {
		try (Stream<Path> files = Files.walk(folder)) {
			return files.filter(Files::isRegularFile).mapToLong(BackupService::size).sum();
		}
		catch (IOException ex) {
			return -1;
		}
	}

	/** Deletes a folder and everything in it, if it is there. */
	public static void deleteTree(Path folder) {
		if (!Files.exists(folder)) {
			return;
		}
		List<Path> paths = new ArrayList<>();
		try (Stream<Path> walk = Files.walk(folder)) {
			walk.sorted(Comparator.reverseOrder()).forEach(paths::add);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot list " + folder, ex);
		}
		for (Path path : paths) {
			try {
				Files.deleteIfExists(path);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot delete " + path, ex);
			}
		}
	}

}
