package au.edu.unimelb.reporting.ops.release;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings;
import au.edu.unimelb.reporting.ops.lock.Locks;
import au.edu.unimelb.reporting.ops.nightly.BackupRecords;
import au.edu.unimelb.reporting.ops.nightly.BackupRuns;

import org.springframework.stereotype.Service;

/**
 * A release's check of the Prod backup before Prod ({@code Task_CheckProdBackup}): recent
 * enough, or a fresh one to take, or a running backup or QA restore to wait for (a
 * limited time).
 */
@Service
class ProdBackupCheck {

	private final ReleaseSettings settings;

	private final EnvironmentsSettings environments;

	private final BackupRecords backups;

	private final Locks locks;

	ProdBackupCheck(ReleaseSettings settings, EnvironmentsSettings environments, BackupRecords backups, Locks locks) {
		this.settings = settings;
		this.environments = environments;
		this.backups = backups;
		this.locks = locks;
	}

	/**
	 * Checks whether Prod has a verified backup recent enough to deploy over, and if not,
	 * whether the release can take one now.
	 * @return {@link ReleaseProcess#BACKUP_FRESH} (on to Prod),
	 * {@link ReleaseProcess#BACKUP_STALE} (take a fresh one) or
	 * {@link ReleaseProcess#BACKUP_BUSY} (a backup or QA restore holds the lock: wait for
	 * it and check again, so that a nightly backup's result is taken), with a sentence
	 */
	BackupCheck check(String build) {
		return check(build, null);
	}

	/**
	 * As {@link #check(String)}, for a release that has waited for a running backup since
	 * {@code waitingSince}: past {@code ops.release.backup-wait-limit} it waits no more
	 * and tries to take its own (which is refused while the lock is held, so the release
	 * ends BACKUP_FAILED naming the holder, Prod untouched).
	 */
	BackupCheck check(String build, Instant waitingSince) {
		Instant last = this.backups.lastVerified("daily").orElse(null);
		Duration max = this.settings.maxBackupAge();
		Duration age = (last != null) ? Duration.between(last, Instant.now()) : null;
		if (age != null && age.compareTo(max) <= 0) {
			return new BackupCheck(ReleaseProcess.BACKUP_FRESH, "The last verified Prod backup is from " + last + ", "
					+ age.toHours() + " h ago: recent enough for build " + build);
		}
		String found = (last != null) ? "The last verified Prod backup is from " + last + ", " + age.toHours()
				+ " h ago (more than " + max.toHours() + " h)" : "No verified Prod backup exists";
		Optional<String> holder = this.environments.find("prod")
			.map((prod) -> BackupRuns.lockName(prod.database()))
			.flatMap(this.locks::holder);
		if (holder.isPresent() && waitingSince != null
				&& Duration.between(waitingSince, Instant.now()).compareTo(this.settings.backupWaitLimit()) > 0) {
			return new BackupCheck(ReleaseProcess.BACKUP_STALE,
					found + "; a backup or QA restore (process instance " + holder.get()
							+ ") has held the backup lock for more than " + this.settings.backupWaitLimit()
							+ " of waiting: waiting no more");
		}
		if (holder.isPresent()) {
			return new BackupCheck(ReleaseProcess.BACKUP_BUSY, found + "; a backup or QA restore (process instance "
					+ holder.get() + ") is running: waiting for it before Prod");
		}
		return new BackupCheck(ReleaseProcess.BACKUP_STALE, found + ": taking a fresh backup before Prod");
	}

	/**
	 * What the Prod backup check found.
	 *
	 * @param state {@code FRESH}, {@code STALE} or {@code BUSY}
	 * @param detail one sentence for people and Jenkins
	 */
	public record BackupCheck(String state, String detail) {
	}

}
