package au.edu.unimelb.reporting.ops.release;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings;
import au.edu.unimelb.reporting.ops.lock.Locks;
import au.edu.unimelb.reporting.ops.nightly.BackupRecords;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * The Prod backup's age before Prod: fresh, to be taken afresh, or waited for while a
 * backup or QA restore holds the lock, for a limited time.
 */
class ProdBackupCheckTest {

	static final String BUILD = "2026.11.25-1";

	static final ReleaseSettings SETTINGS = new ReleaseSettings(Duration.ofHours(4), Duration.ofDays(3),
			Duration.ofHours(26), Duration.ofMinutes(1), Duration.ofHours(3), 1);

	final BackupRecords backups = mock(BackupRecords.class);

	final Locks locks = mock(Locks.class);

	final ProdBackupCheck check = new ProdBackupCheck(SETTINGS, mock(EnvironmentsSettings.class), this.backups,
			this.locks);

	@Test
	void aBackupYoungerThanTheLimitIsFreshAnOlderOneIsTakenAfreshOrWaitedForWhileOneRuns() {
		when(this.backups.lastVerified("daily")).thenReturn(Optional.empty());
		assertThat(this.check.check(BUILD).state()).isEqualTo(ReleaseProcess.BACKUP_STALE);
		when(this.backups.lastVerified("daily")).thenReturn(Optional.of(Instant.now().minus(Duration.ofHours(30))));
		ProdBackupCheck.BackupCheck stale = this.check.check(BUILD);
		assertThat(stale.state()).isEqualTo(ReleaseProcess.BACKUP_STALE);
		assertThat(stale.detail()).contains("30 h ago (more than 26 h)").contains("taking a fresh backup");
		when(this.backups.lastVerified("daily")).thenReturn(Optional.of(Instant.now().minus(Duration.ofHours(25))));
		assertThat(this.check.check(BUILD).state()).isEqualTo(ReleaseProcess.BACKUP_FRESH);
	}

	@Test
	void aStaleBackupIsWaitedForWhileABackupOrRestoreHoldsTheLock() {
		EnvironmentsSettings environments = mock(EnvironmentsSettings.class);
		EnvironmentsSettings.EnvironmentSettings prod = mock(EnvironmentsSettings.EnvironmentSettings.class);
		when(prod.database())
			.thenReturn(new EnvironmentsSettings.DatabaseSettings("db.example", 5432, "reporting", "reporting", null));
		when(environments.find("prod")).thenReturn(Optional.of(prod));
		ProdBackupCheck waiting = new ProdBackupCheck(SETTINGS, environments, this.backups, this.locks);
		when(this.backups.lastVerified("daily")).thenReturn(Optional.of(Instant.now().minus(Duration.ofHours(30))));
		when(this.locks.holder("backup:db.example:5432/reporting")).thenReturn(Optional.of("night-7"));
		ProdBackupCheck.BackupCheck busy = waiting.check(BUILD);
		assertThat(busy.state()).isEqualTo(ReleaseProcess.BACKUP_BUSY);
		assertThat(busy.detail()).contains("process instance night-7").contains("waiting for it");
	}

	@Test
	void aReleaseWaitsForARunningBackupNoLongerThanItsLimit() {
		EnvironmentsSettings environments = mock(EnvironmentsSettings.class);
		EnvironmentsSettings.EnvironmentSettings prod = mock(EnvironmentsSettings.EnvironmentSettings.class);
		when(prod.database())
			.thenReturn(new EnvironmentsSettings.DatabaseSettings("db.example", 5432, "reporting", "reporting", null));
		when(environments.find("prod")).thenReturn(Optional.of(prod));
		ProdBackupCheck waiting = new ProdBackupCheck(SETTINGS, environments, this.backups, this.locks);
		when(this.backups.lastVerified("daily")).thenReturn(Optional.empty());
		when(this.locks.holder("backup:db.example:5432/reporting")).thenReturn(Optional.of("stuck-9"));
		assertThat(waiting.check(BUILD, Instant.now().minus(Duration.ofHours(2))).state())
			.isEqualTo(ReleaseProcess.BACKUP_BUSY);
		ProdBackupCheck.BackupCheck given = waiting.check(BUILD, Instant.now().minus(Duration.ofHours(4)));
		// STALE: the release tries its own backup, which the held lock refuses, and it
		// ends
		// BACKUP_FAILED with Prod untouched
		assertThat(given.state()).isEqualTo(ReleaseProcess.BACKUP_STALE);
		assertThat(given.detail()).contains("stuck-9").contains("waiting no more");
	}

}
