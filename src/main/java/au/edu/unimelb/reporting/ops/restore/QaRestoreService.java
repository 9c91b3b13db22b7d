package au.edu.unimelb.reporting.ops.restore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings;
import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings.DatabaseSettings;
import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings.EnvironmentSettings;
import au.edu.unimelb.reporting.ops.duplicity.CollectionStatus;
import au.edu.unimelb.reporting.ops.engine.RequestRefusedException;
import au.edu.unimelb.reporting.ops.nightly.BackupRecords;
import au.edu.unimelb.reporting.ops.nightly.BackupRuns;
import au.edu.unimelb.reporting.ops.nightly.BackupSettings;
import au.edu.unimelb.reporting.ops.nightly.BackupTargets;
import au.edu.unimelb.reporting.ops.nightly.RowCounts;
import au.edu.unimelb.reporting.ops.nightly.Staging;
import au.edu.unimelb.reporting.ops.nightly.StepFailedException;
import au.edu.unimelb.reporting.ops.postgres.PostgresCommands;
import au.edu.unimelb.reporting.ops.postgres.PostgresDatabases;
import au.edu.unimelb.reporting.ops.shell.CommandResult;
import au.edu.unimelb.reporting.ops.shell.CommandRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;

/**
 * What qa-restore does, step by step: the newest daily backup restored into a temporary
 * database, checked against the row counts the backup recorded, swapped in for QA in one
 * transaction, then QA's migrations. It never touches the Prod database, and until the
 * swap QA is not touched at all.
 *
 * <p>
 * Whether QA is Prod is asked of the servers, not read from how the settings spell them
 * ({@link QaProdCheck}). The temporary database's name is derived from the run's id every
 * time it is needed ({@link RestoreDatabaseNames}), never read back from a process
 * variable. The migrations are {@link QaMigrations}'.
 */
@Service
public class QaRestoreService {

	private static final Logger log = LoggerFactory.getLogger(QaRestoreService.class);

	private final BackupRuns runs;

	private final BackupTargets targets;

	private final Staging staging;

	private final BackupSettings backupSettings;

	private final EnvironmentsSettings environments;

	private final CommandRunner runner;

	private final BackupRecords records;

	private final QaProdCheck prodCheck;

	public QaRestoreService(BackupRuns runs, BackupTargets targets, Staging staging, BackupSettings backupSettings,
			EnvironmentsSettings environments, CommandRunner runner, BackupRecords records, QaProdCheck prodCheck) {
		this.runs = runs;
		this.targets = targets;
		this.staging = staging;
		this.backupSettings = backupSettings;
		this.environments = environments;
		this.runner = runner;
		this.records = records;
		this.prodCheck = prodCheck;
	}

	/**
	 * Checks a restore request and takes the Prod database's backup lock, in the
	 * transaction that starts the run.
	 * @return the name of the temporary database this run restores into (for people to
	 * read: the steps derive it again)
	 * @throws RequestRefusedException when the servers say QA is the Prod database,
	 * either is not configured, backups are off (400) or a backup or restore runs (409)
	 */
	public String acceptRestore(String runId, String startedBy) {
		DatabaseSettings qa = qaDatabase();
		DatabaseSettings prod = this.runs.prodDatabase();
		try {
			this.prodCheck.requireQaIsNotProd(qa, prod);
		}
		catch (QaIsProdException ex) {
			if (!ex.undecided()) {
				throw RequestRefusedException.badInput(ex.getMessage());
			}
			// Nothing is touched before the restore step, which asks again and fails the
			// run if it still cannot be told: a QA server that is down at the night's
			// hand-over must not leave the night holding the backup lock as an incident.
			log.warn("QA restore {}: cannot tell yet whether QA is Prod ({}); the restore step asks again before it "
					+ "touches any database", runId, ex.getCause().getMessage());
		}
		this.runs.requireEnabled();
		this.runs.lock(runId, prod, startedBy);
		this.records.start(runId, BackupRecords.RESTORE, startedBy);
		String temp = tempDatabase(qa, runId);
		log.info("QA restore {} accepted: {} will be restored into {} (started by {})", runId, QaProdCheck.describe(qa),
				temp, startedBy);
		return temp;
	}

	/**
	 * Restores the newest daily set into the run's staging folder.
	 * @return the set's time: QA's data will be as of then
	 */
	public Instant fetch(String runId, String backupRun) {
		CollectionStatus status = this.targets.dailyStatus();
		Instant newest = status.newest();
		if (newest == null) {
			throw new StepFailedException("There is no backup set in " + this.targets.dailyTarget() + " to restore");
		}
		Path into = this.staging.restoredFolder(runId);
		Staging.deleteTree(into);
		StepFailedException.whenFails("duplicity restore of " + this.targets.dailyTarget(), () -> this.runner
			.run(this.targets.duplicity().restore(this.targets.dailyTarget(), BackupTargets.dailyName(), into)));
		if (!Files.isRegularFile(into.resolve(Staging.DUMP_FILE))
				|| !Files.isRegularFile(into.resolve(Staging.ROW_COUNTS_FILE))) {
			throw new StepFailedException("The set of " + newest + " in " + this.targets.dailyTarget() + " holds no "
					+ Staging.DUMP_FILE + " and " + Staging.ROW_COUNTS_FILE);
		}
		String run = this.records.set("daily", newest).map(BackupRecords.BackupSetRecord::runId).orElse(backupRun);
		this.records.restoredFrom(runId, run, newest);
		log.info("QA restore {}: fetched the daily set of {}", runId, newest);
		return newest;
	}

	/**
	 * Creates the temporary database afresh and restores the dump into it with
	 * {@code pg_restore -j}.
	 * @throws StepFailedException also when QA's settings reach the Prod database now
	 * (changed since the start, or a node with other settings) or that cannot be told:
	 * the run ends failed, nothing was touched
	 */
	public void restoreIntoTemp(String runId) {
		DatabaseSettings qa = qaDatabase();
		try {
			this.prodCheck.requireQaIsNotProd(qa, this.runs.prodDatabase());
		}
		catch (QaIsProdException ex) {
			throw new StepFailedException(ex.getMessage());
		}
		String temp = tempDatabase(qa, runId);
		PostgresDatabases databases = databases();
		try {
			databases.dropIfExists(qa, temp);
			databases.create(qa, temp);
		}
		catch (RuntimeException ex) {
			throw StepFailedException.wrap("Creating the temporary database " + temp, ex);
		}
		PostgresCommands postgres = new PostgresCommands(this.backupSettings.commandTimeout());
		StepFailedException.whenFails("pg_restore into " + temp,
				() -> this.runner
					.run(postgres.restore(qa, temp, this.staging.restoredFolder(runId).resolve(Staging.DUMP_FILE),
							this.backupSettings.restoreJobs(), this.backupSettings.restoreMaintenanceWorkMem())));
		log.info("QA restore {}: restored into {}", runId, temp);
	}

	/**
	 * Compares the temporary database with the backup: every table in the dump's table of
	 * contents is there, and holds as many rows as the backup counted in the snapshot it
	 * dumped.
	 * @return a one-line summary
	 */
	public String compare(String runId) {
		String temp = tempDatabase(qaDatabase(), runId);
		Path folder = this.staging.restoredFolder(runId);
		Map<String, Long> recorded = RowCounts.read(folder.resolve(Staging.ROW_COUNTS_FILE));
		PostgresCommands postgres = new PostgresCommands(this.backupSettings.commandTimeout());
		CommandResult toc = StepFailedException.whenFails("pg_restore --list of the restored dump",
				() -> this.runner.run(postgres.list(folder.resolve(Staging.DUMP_FILE))));
		Set<String> tocTables = TableOfContents.tablesOf(toc.stdout());
		Map<String, Long> restored;
		try {
			restored = databases().rowCounts(qaDatabase(), temp);
		}
		catch (RuntimeException ex) {
			throw StepFailedException.wrap("Counting the rows of " + temp, ex);
		}
		return RowCountComparison.compare(temp, recorded, tocTables, restored);
	}

	/**
	 * Puts the temporary database in QA's place (closing QA's sessions first), then drops
	 * the old QA. Safe to repeat: a swap already done is not done again.
	 * @throws QaIsProdException when QA's settings reach the Prod database now: the step
	 * retries, then raises an incident; nothing was touched
	 */
	public void swapIntoQa(String runId) {
		DatabaseSettings qa = qaDatabase();
		this.prodCheck.requireQaIsNotProd(qa, this.runs.prodDatabase());
		String temp = tempDatabase(qa, runId);
		PostgresDatabases databases = databases();
		String retired = RestoreDatabaseNames.retiredDatabase(qa.name(), this.runs.prodDatabase().name(), runId);
		if (databases.exists(qa, temp)) {
			if (databases.exists(qa, qa.name())) {
				databases.swap(qa, qa.name(), temp, retired);
			}
			else {
				// QA was already missing (dropped by hand): the copy takes its name
				databases.rename(qa, temp, qa.name());
			}
		}
		else if (!databases.exists(qa, qa.name())) {
			throw new IllegalStateException("Neither " + temp + " nor " + qa.name() + " exists on "
					+ QaProdCheck.describe(qa) + ": nothing to swap in");
		}
		databases.dropIfExists(qa, retired);
		this.runs.handOverLock(runId);
		log.info("QA restore {}: {} now holds the restored data", runId, QaProdCheck.describe(qa));
	}

	/**
	 * Drops the run's temporary database, if it is there (a failed or cancelled run). Its
	 * name comes from the run's id, so nothing but this run's copy can be dropped.
	 */
	public void dropTemp(String runId) {
		DatabaseSettings qa = qaDatabase();
		databases().dropIfExists(qa, tempDatabase(qa, runId));
	}

	/**
	 * Ends a restore run: closes its record, drops its temporary database unless it was
	 * swapped in, deletes its staging folder and releases the lock.
	 */
	public void finish(String runId, String outcome, String detail) {
		if (!QaRestoreProcess.RESTORED.equals(outcome)) {
			try {
				dropTemp(runId);
			}
			catch (RuntimeException ex) {
				log.warn("QA restore {}: could not drop its temporary database: {}", runId, ex.getMessage());
			}
		}
		this.runs.finish(runId, outcome, detail);
	}

	public DatabaseSettings qaDatabase() {
		return this.environments.find("qa")
			.map(EnvironmentSettings::database)
			.orElseThrow(() -> RequestRefusedException
				.badInput("The QA environment is not configured (ops.environments.qa): nothing to restore into"));
	}

	private PostgresDatabases databases() {
		return new PostgresDatabases(this.backupSettings.commandTimeout());
	}

	private String tempDatabase(DatabaseSettings qa, String runId) {
		return RestoreDatabaseNames.tempDatabase(qa.name(), this.runs.prodDatabase().name(), runId);
	}

}
