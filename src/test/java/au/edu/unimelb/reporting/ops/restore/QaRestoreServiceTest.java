package au.edu.unimelb.reporting.ops.restore;

import java.time.Duration;
import java.util.Optional;

import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings;
import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings.DatabaseSettings;
import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings.EnvironmentSettings;
import au.edu.unimelb.reporting.ops.config.Secret;
import au.edu.unimelb.reporting.ops.nightly.BackupRecords;
import au.edu.unimelb.reporting.ops.nightly.BackupRuns;
import au.edu.unimelb.reporting.ops.nightly.BackupSettings;
import au.edu.unimelb.reporting.ops.nightly.StepFailedException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * {@link QaRestoreService} on its own, where no server answers whether QA is Prod: the
 * start goes ahead, and the first step that would touch a database stops the restore
 * before anything is touched (the servers' own answers are {@code BackupRestoreIT}'s).
 */
class QaRestoreServiceTest {

	final BackupRuns runs = mock(BackupRuns.class);

	final BackupSettings backupSettings = mock(BackupSettings.class);

	final EnvironmentsSettings environments = mock(EnvironmentsSettings.class);

	final BackupRecords records = mock(BackupRecords.class);

	final QaRestoreService restore = new QaRestoreService(this.runs, null, null, this.backupSettings, this.environments,
			null, this.records, new QaProdCheck(this.backupSettings));

	@Test
	void aStartWhoseServersCannotSayGoesAheadAndItsRestoreStepFailsBeforeTouchingAnything() {
		when(this.backupSettings.commandTimeout()).thenReturn(Duration.ofSeconds(5));
		DatabaseSettings qa = database("127.0.0.1", 1, "reporting_qa");
		DatabaseSettings prod = database("127.0.0.1", 2, "reporting");
		EnvironmentSettings qaEnvironment = mock(EnvironmentSettings.class);
		when(qaEnvironment.database()).thenReturn(qa);
		when(this.environments.find("qa")).thenReturn(Optional.of(qaEnvironment));
		when(this.runs.prodDatabase()).thenReturn(prod);

		// a QA server down at the night's hand-over does not hold the night up
		assertThat(this.restore.acceptRestore("3f2a9c1e-8b7d", "nightly-backup 1"))
			.isEqualTo("reporting_qa_restore_3f2a9c1e8b7d");
		verify(this.runs).lock("3f2a9c1e-8b7d", prod, "nightly-backup 1");

		// and the first step that would touch a database asks again, and fails the run
		assertThatThrownBy(() -> this.restore.restoreIntoTemp("3f2a9c1e-8b7d")).isInstanceOf(StepFailedException.class)
			.hasMessageStartingWith("Refused: cannot tell whether the QA database reporting_qa on 127.0.0.1:1");
	}

	static DatabaseSettings database(String host, int port, String name) {
		return new DatabaseSettings(host, port, name, "reporting", Secret.of("db-password-7c"));
	}

}
