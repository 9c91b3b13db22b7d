package au.edu.unimelb.reporting.ops.nightly;

import java.util.Locale;

import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings;
import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings.DatabaseSettings;
import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings.EnvironmentSettings;
import au.edu.unimelb.reporting.ops.engine.RequestRefusedException;
import au.edu.unimelb.reporting.ops.lock.LockHeldException;
import au.edu.unimelb.reporting.ops.lock.Locks;

import org.springframework.stereotype.Component;

/**
 * What every backup and every restore of the Prod database shares at its start and its
 * end: the checks before it may run, the one lock that keeps backups and restores of the
 * database from overlapping (safety rule 5), and the end that closes the run's record,
 * deletes its staging folder and gives the lock back.
 */
@Component
public class BackupRuns {

	private final BackupSettings settings;

	private final EnvironmentsSettings environments;

	private final Locks locks;

	private final BackupRecords records;

	private final Staging staging;

	public BackupRuns(BackupSettings settings, EnvironmentsSettings environments, Locks locks, BackupRecords records,
			Staging staging) {
		this.settings = settings;
		this.environments = environments;
		this.locks = locks;
		this.records = records;
		this.staging = staging;
	}

	/**
	 * @throws RequestRefusedException (400) when Prod is not configured
	 */
	public DatabaseSettings prodDatabase() {
		return this.environments.find("prod")
			.map(EnvironmentSettings::database)
			.orElseThrow(() -> RequestRefusedException
				.badInput("The Prod environment is not configured (ops.environments.prod): nothing to back up"));
	}

	/**
	 * @throws RequestRefusedException (409) when backups are switched off
	 */
	public void requireEnabled() {
		if (!this.settings.enabled()) {
			throw RequestRefusedException
				.conflict("Backups are switched off on this service (ops.backup.enabled is false)");
		}
	}

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

	/** Gives the lock back, if the run holds it (and Prod is configured). */
	public void releaseLock(String runId) {
		this.environments.find("prod")
			.map(EnvironmentSettings::database)
			.ifPresent((prod) -> this.locks.release(lockName(prod), runId));
	}

	/**
	 * Gives the lock back before the run ends: for the qa-restore a backup starts next,
	 * or once a restore no longer touches Prod or the backups.
	 */
	public void handOverLock(String runId) {
		this.locks.release(lockName(prodDatabase()), runId);
	}

	/**
	 * Ends a backup or restore run: closes its record, deletes its staging folder and
	 * releases the lock, in the transaction that ends the run.
	 */
	public void finish(String runId, String outcome, String detail) {
		this.records.finish(runId, outcome, detail);
		Staging.deleteTree(this.staging.runFolder(runId));
		releaseLock(runId);
	}

}
