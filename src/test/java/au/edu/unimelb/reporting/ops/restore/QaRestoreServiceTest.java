package au.edu.unimelb.reporting.ops.restore;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings;
import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings.DatabaseSettings;
import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings.EnvironmentSettings;
import au.edu.unimelb.reporting.ops.config.Secret;
import au.edu.unimelb.reporting.ops.config.SecretGuard;
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
 * {@link QaRestoreService} on its own: the names it gives the databases of a run (from
 * QA's name and the run's id alone, of one fixed form), and the "QA is Prod" guard where
 * no server answers: it stops the restore before anything is touched, but not the start
 * (the servers' own answers are {@code BackupRestoreIT}'s).
 */
class QaRestoreServiceTest {

	final BackupRuns runs = mock(BackupRuns.class);

	final BackupSettings backupSettings = mock(BackupSettings.class);

	final EnvironmentsSettings environments = mock(EnvironmentsSettings.class);

	final BackupRecords records = mock(BackupRecords.class);

	final QaRestoreService restore = new QaRestoreService(this.runs, null, null, this.backupSettings, this.environments,
			null, null, null, this.records, null, new SecretGuard(List.of()));

	@Test
	void qaSpelledLikeProdIsRefusedWithoutAskingTheServer() {
		DatabaseSettings prod = database("DB.example", 5432, "reporting");
		assertThatThrownBy(() -> this.restore.requireQaIsNotProd(database("db.example", 5432, "reporting"), prod))
			.isInstanceOf(QaIsProdException.class)
			.hasMessageContaining("is the Prod database (same host, port and name)")
			.satisfies((refused) -> assertThat(((QaIsProdException) refused).undecided()).isFalse());
	}

	@Test
	void aServerThatCannotSayWhoItIsStopsTheRestore() {
		timeouts();
		// nothing listens on port 1: whether the two are one database cannot be told
		DatabaseSettings qa = database("127.0.0.1", 1, "reporting_qa");
		DatabaseSettings prod = database("127.0.0.1", 2, "reporting");

		assertThatThrownBy(() -> this.restore.requireQaIsNotProd(qa, prod)).isInstanceOf(QaIsProdException.class)
			.hasMessageStartingWith("Refused: cannot tell whether the QA database reporting_qa on 127.0.0.1:1 "
					+ "is the Prod database reporting on 127.0.0.1:2")
			.hasMessageContaining("Nothing was touched")
			.hasMessageContaining("pg_control_system()")
			.hasMessageNotContaining("db-password-7c")
			.satisfies((refused) -> assertThat(((QaIsProdException) refused).undecided()).isTrue());
	}

	@Test
	void aStartWhoseServersCannotSayGoesAheadAndItsRestoreStepFailsBeforeTouchingAnything() {
		timeouts();
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

	private void timeouts() {
		when(this.backupSettings.commandTimeout()).thenReturn(Duration.ofSeconds(5));
	}

	private static DatabaseSettings database(String host, int port, String name) {
		return new DatabaseSettings(host, port, name, "reporting", Secret.of("db-password-7c"));
	}

	@Test
	void theTemporaryDatabaseIsNamedFromQaAndTheRunsIdAlone() {
		assertThat(QaRestoreService.tempName("reporting_qa", "3F2A9C1E-8B7D-11EF-9A1C-0242AC120002"))
			.isEqualTo("reporting_qa_restore_3f2a9c1e8b7d");
		assertThat(QaRestoreService.tempName("reporting_qa", "42")).isEqualTo("reporting_qa_restore_42");
	}

	@Test
	void aLongQaNameIsShortenedSoTheNameStaysAPlainPostgresName() {
		String qa = "q".repeat(63);
		assertThat(QaRestoreService.tempName(qa, "3f2a9c1e-8b7d")).isEqualTo("q".repeat(40) + "_restore_3f2a9c1e8b7d")
			.hasSizeLessThanOrEqualTo(63);
	}

	@Test
	void aRunIdThatGivesNoNameOfThatFormIsRefused() {
		assertThatThrownBy(() -> QaRestoreService.tempName("reporting_qa", "--;--"))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("gives no temporary database name");
	}

}
