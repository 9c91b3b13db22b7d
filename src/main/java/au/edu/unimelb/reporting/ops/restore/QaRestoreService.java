package au.edu.unimelb.reporting.ops.restore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings;
import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings.DatabaseSettings;
import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings.EnvironmentSettings;
import au.edu.unimelb.reporting.ops.config.SecretGuard;
import au.edu.unimelb.reporting.ops.deploy.DeploymentRecords;
import au.edu.unimelb.reporting.ops.duplicity.CollectionStatus;
import au.edu.unimelb.reporting.ops.engine.RequestRefusedException;
import au.edu.unimelb.reporting.ops.nightly.BackupRecords;
import au.edu.unimelb.reporting.ops.nightly.BackupRuns;
import au.edu.unimelb.reporting.ops.nightly.BackupSettings;
import au.edu.unimelb.reporting.ops.nightly.BackupTargets;
import au.edu.unimelb.reporting.ops.nightly.RowCounts;
import au.edu.unimelb.reporting.ops.nightly.Staging;
import au.edu.unimelb.reporting.ops.nightly.StepFailedException;
import au.edu.unimelb.reporting.ops.postgres.DatabaseException;
import au.edu.unimelb.reporting.ops.postgres.DatabaseIdentity;
import au.edu.unimelb.reporting.ops.postgres.PostgresCommands;
import au.edu.unimelb.reporting.ops.postgres.PostgresDatabases;
import au.edu.unimelb.reporting.ops.shell.CommandResult;
import au.edu.unimelb.reporting.ops.shell.CommandRunner;
import au.edu.unimelb.reporting.ops.ssh.SshCommands;
import au.edu.unimelb.reporting.ops.ssh.SshResult;
import au.edu.unimelb.reporting.ops.ssh.SshTarget;
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
 * ({@link #requireQaIsNotProd}). The temporary database's name is derived from the run's
 * id every time it is needed, never read back from a process variable (which anyone with
 * Cockpit may edit): no edit can point a step's drop or rename at another database.
 */
@Service
public class QaRestoreService {

	private static final Logger log = LoggerFactory.getLogger(QaRestoreService.class);

	/** What a temporary database's name looks like: {@code <qa>_restore_<run>}. */
	private static final Pattern TEMP_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,39}_restore_[a-z0-9]{1,12}");

	private final BackupRuns runs;

	private final BackupTargets targets;

	private final Staging staging;

	private final BackupSettings backupSettings;

	private final EnvironmentsSettings environments;

	private final QaRestoreSettings settings;

	private final CommandRunner runner;

	private final SshCommands ssh;

	private final BackupRecords records;

	private final DeploymentRecords deployments;

	private final SecretGuard guard;

	public QaRestoreService(BackupRuns runs, BackupTargets targets, Staging staging, BackupSettings backupSettings,
			EnvironmentsSettings environments, QaRestoreSettings settings, CommandRunner runner, SshCommands ssh,
			BackupRecords records, DeploymentRecords deployments, SecretGuard guard) {
		this.guard = guard;
		this.runs = runs;
		this.targets = targets;
		this.staging = staging;
		this.backupSettings = backupSettings;
		this.environments = environments;
		this.settings = settings;
		this.runner = runner;
		this.ssh = ssh;
		this.records = records;
		this.deployments = deployments;
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
			requireQaIsNotProd(qa, prod);
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
		this.records.start(runId, "RESTORE", startedBy);
		String temp = tempDatabase(qa, runId);
		log.info("QA restore {} accepted: {} will be restored into {} (started by {})", runId, describe(qa), temp,
				startedBy);
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
		Path into = restoredFolder(runId);
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
			requireQaIsNotProd(qa, this.runs.prodDatabase());
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
		StepFailedException.whenFails("pg_restore into " + temp, () -> this.runner.run(postgres.restore(qa, temp,
				restoredFolder(runId).resolve(Staging.DUMP_FILE), this.backupSettings.restoreJobs())));
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
		Path folder = restoredFolder(runId);
		Map<String, Long> recorded = RowCounts.read(folder.resolve(Staging.ROW_COUNTS_FILE));
		PostgresCommands postgres = new PostgresCommands(this.backupSettings.commandTimeout());
		CommandResult toc = StepFailedException.whenFails("pg_restore --list of the restored dump",
				() -> this.runner.run(postgres.list(folder.resolve(Staging.DUMP_FILE))));
		Set<String> tocTables = tablesOf(toc.stdout());
		Map<String, Long> restored;
		try {
			restored = databases().rowCounts(qaDatabase(), temp);
		}
		catch (RuntimeException ex) {
			throw StepFailedException.wrap("Counting the rows of " + temp, ex);
		}
		List<String> problems = new ArrayList<>();
		Set<String> expected = new TreeSet<>(tocTables);
		expected.addAll(recorded.keySet());
		for (String table : expected) {
			Long want = recorded.get(table);
			Long got = restored.get(table);
			if (!tocTables.contains(table)) {
				problems.add(table + " was counted but is not in the dump");
			}
			else if (got == null) {
				problems.add(table + " is missing");
			}
			else if (want == null) {
				problems.add(table + " has no recorded count");
			}
			else if (!want.equals(got)) {
				problems.add(table + " has " + got + " rows, the backup counted " + want);
			}
		}
		if (!problems.isEmpty()) {
			throw new StepFailedException("The restored database " + temp + " does not match the backup: "
					+ String.join("; ", problems.subList(0, Math.min(10, problems.size())))
					+ ((problems.size() > 10) ? " (and " + (problems.size() - 10) + " more)" : ""));
		}
		long rows = restored.values().stream().mapToLong(Long::longValue).sum();
		return expected.size() + " tables, " + rows + " rows, as the backup counted";
	}

	/**
	 * Puts the temporary database in QA's place (closing QA's sessions first), then drops
	 * the old QA. Safe to repeat: a swap already done is not done again.
	 * @throws QaIsProdException when QA's settings reach the Prod database now: the step
	 * retries, then raises an incident; nothing was touched
	 */
	public void swapIntoQa(String runId) {
		DatabaseSettings qa = qaDatabase();
		requireQaIsNotProd(qa, this.runs.prodDatabase());
		String temp = tempDatabase(qa, runId);
		PostgresDatabases databases = databases();
		String retired = retiredName(qa.name(), runId);
		if (retired.equals(qa.name()) || retired.equals(this.runs.prodDatabase().name())) {
			throw new IllegalStateException("The retired copy of QA in run " + runId + " would be " + retired
					+ ", which is QA's or Prod's name: refusing to touch it");
		}
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
			throw new IllegalStateException(
					"Neither " + temp + " nor " + qa.name() + " exists on " + describe(qa) + ": nothing to swap in");
		}
		databases.dropIfExists(qa, retired);
		this.runs.handOverLock(runId);
		log.info("QA restore {}: {} now holds the restored data", runId, describe(qa));
	}

	/**
	 * Runs QA's migrations on the QA app server.
	 * @throws IllegalStateException when they fail: the step retries, then raises an
	 * incident; QA keeps the restored data
	 */
	public String migrate(String runId) {
		String host = migrateHost();
		SshTarget target = new SshTarget(host, this.settings.port(), this.settings.user(),
				this.settings.privateKeyPath(), this.settings.knownHostsPath(),
				Duration.ofSeconds(this.settings.timeoutSeconds()));
		SshResult result = this.ssh.run(target, this.settings.migrateCommand());
		if (result.exitStatus() != 0) {
			// The app's own output may name its settings (a connection string, say):
			// masked,
			// as it reaches the incident, the job log and the service log.
			throw new IllegalStateException(
					"QA migrations (" + String.join(" ", this.settings.migrateCommand()) + ") on " + host
							+ " exited with " + result.exitStatus() + ": " + this.guard.mask(tail(result.stderr())));
		}
		log.info("QA restore {}: migrations ran on {}", runId, host);
		return this.guard.mask(tail(result.stdout()));
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
		if (!"RESTORED".equals(outcome)) {
			try {
				dropTemp(runId);
			}
			catch (RuntimeException ex) {
				log.warn("QA restore {}: could not drop its temporary database: {}", runId, ex.getMessage());
			}
		}
		this.runs.finish(runId, outcome, detail);
	}

	/**
	 * Refuses when the QA settings reach the Prod database: spelled alike, or, asked of
	 * the servers, the same server or a standby or copy of it (system identifier) and the
	 * same database name. QA is identified where the restore works on it (the server's
	 * {@value PostgresDatabases#MAINTENANCE_DATABASE} database, where it creates, renames
	 * and drops databases by name); Prod where pg_dump reads it.
	 * @throws QaIsProdException when they are one database, or when a server's identity
	 * cannot be read (then it cannot be told, and nothing may go on)
	 */
	public void requireQaIsNotProd(DatabaseSettings qa, DatabaseSettings prod) {
		if (Set.of(PostgresDatabases.MAINTENANCE_DATABASE, "template0", "template1").contains(qa.name())) {
			throw QaIsProdException.same("Refused: the QA database is configured as " + qa.name()
					+ ", one of the server's own databases. Nothing was touched; fix ops.environments.qa.database.");
		}
		if (qa.sameDatabaseAs(prod)) {
			throw QaIsProdException.same("Refused: the QA database " + describe(qa)
					+ " is the Prod database (same host, port and name). Nothing was touched; fix "
					+ "ops.environments.qa.database.");
		}
		PostgresDatabases databases = databases();
		DatabaseIdentity prodIdentity;
		List<DatabaseIdentity> qaIdentities = new ArrayList<>();
		try {
			prodIdentity = databases.identify(prod, prod.name());
			qaIdentities.add(databases.identify(qa, PostgresDatabases.MAINTENANCE_DATABASE).named(qa.name()));
			// Where QA exists, also as the server names the database the QA settings
			// reach (a pooler's alias may lead to another one). Not while a swap has it
			// closed to connections: then it is the database this service swaps, by name.
			if (databases.acceptsConnections(qa, qa.name())) {
				qaIdentities.add(databases.identify(qa, qa.name()));
			}
		}
		catch (DatabaseException ex) {
			throw QaIsProdException.undecided("Refused: cannot tell whether the QA database " + describe(qa)
					+ " is the Prod database " + describe(prod) + ": " + ex.getMessage()
					+ ". Nothing was touched. Both roles need to run pg_control_system() (every role may, unless "
					+ "revoked: GRANT EXECUTE ON FUNCTION pg_control_system() TO the role).", ex);
		}
		for (DatabaseIdentity qaIdentity : qaIdentities) {
			if (qaIdentity.sameDatabaseAs(prodIdentity)) {
				throw QaIsProdException.same("Refused: the QA database " + describe(qa) + " is the Prod database "
						+ describe(prod) + ": both reach " + prodIdentity.name() + " on the server with system "
						+ "identifier " + Long.toUnsignedString(prodIdentity.systemIdentifier())
						+ " (a standby or a copy of it counts as the same). Nothing was touched; fix "
						+ "ops.environments.qa.database.");
			}
		}
	}

	public DatabaseSettings qaDatabase() {
		return this.environments.find("qa")
			.map(EnvironmentSettings::database)
			.orElseThrow(() -> RequestRefusedException
				.badInput("The QA environment is not configured (ops.environments.qa): nothing to restore into"));
	}

	private String migrateHost() {
		if (this.settings.host() != null && !this.settings.host().isBlank()) {
			return this.settings.host();
		}
		String address = this.deployments.serving("qa")
			.map((record) -> record.address())
			.orElseThrow(() -> new IllegalStateException(
					"No QA app server is known: set ops.qa-restore.host, " + "or deploy QA first"));
		return address.substring(0, address.lastIndexOf(':'));
	}

	private Path restoredFolder(String runId) {
		return this.staging.restoredFolder(runId);
	}

	private PostgresDatabases databases() {
		return new PostgresDatabases(this.backupSettings.commandTimeout());
	}

	/** The tables of a {@code pg_restore --list}: its {@code TABLE DATA} entries. */
	static Set<String> tablesOf(String toc) {
		Set<String> tables = new TreeSet<>();
		for (String line : toc.split("\n")) {
			if (line.startsWith(";")) {
				continue;
			}
			int at = line.indexOf(" TABLE DATA ");
			if (at >= 0) {
				String[] words = line.substring(at + " TABLE DATA ".length()).trim().split("\\s+");
				if (words.length >= 2) {
					tables.add(words[0] + "." + words[1]);
				}
			}
		}
		return tables;
	}

	private String tempDatabase(DatabaseSettings qa, String runId) {
		String temp = tempName(qa.name(), runId);
		if (temp.equals(qa.name()) || temp.equals(this.runs.prodDatabase().name())) {
			throw new IllegalStateException("The temporary database of run " + runId + " would be " + temp
					+ ", which is QA's or Prod's name: refusing to touch it");
		}
		return temp;
	}

	/**
	 * The temporary database of a run: {@code <qa>_restore_<run>}, from the run's id
	 * alone.
	 * @throws IllegalArgumentException when the id gives no name of that form
	 */
	static String tempName(String qaName, String runId) {
		String temp = shortName(qaName) + "_restore_" + idPart(runId);
		if (!TEMP_NAME.matcher(temp).matches()) {
			throw new IllegalArgumentException("Run id " + runId + " gives no temporary database name");
		}
		return temp;
	}

	static String retiredName(String qaName, String runId) {
		return shortName(qaName) + "_old_" + idPart(runId);
	}

	private static String shortName(String name) {
		return (name.length() > 40) ? name.substring(0, 40) : name;
	}

	private static String idPart(String runId) {
		String id = runId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
		return id.substring(0, Math.min(12, id.length()));
	}

	private static String describe(DatabaseSettings database) {
		return database.name() + " on " + database.host() + ":" + database.port();
	}

	private static String tail(String text) {
		String trimmed = (text == null) ? "" : text.strip();
		return (trimmed.length() > 1000) ? "…" + trimmed.substring(trimmed.length() - 1000) : trimmed;
	}

}
