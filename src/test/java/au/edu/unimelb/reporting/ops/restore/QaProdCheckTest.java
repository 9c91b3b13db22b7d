package au.edu.unimelb.reporting.ops.restore;

import java.time.Duration;

import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings.DatabaseSettings;
import au.edu.unimelb.reporting.ops.nightly.BackupSettings;
import org.junit.jupiter.api.Test;

import static au.edu.unimelb.reporting.ops.restore.QaRestoreServiceTest.database;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * The "QA is Prod" guard where no server needs to answer (spelled alike) or none does (it
 * cannot be told, so nothing may go on); the servers' own answers are
 * {@code BackupRestoreIT}'s.
 */
class QaProdCheckTest {

	final BackupSettings backupSettings = mock(BackupSettings.class);

	final QaProdCheck check = new QaProdCheck(this.backupSettings);

	@Test
	void qaSpelledLikeProdIsRefusedWithoutAskingTheServer() {
		DatabaseSettings prod = database("DB.example", 5432, "reporting");
		assertThatThrownBy(() -> this.check.requireQaIsNotProd(database("db.example", 5432, "reporting"), prod))
			.isInstanceOf(QaIsProdException.class)
			.hasMessageContaining("is the Prod database (same host, port and name)")
			.satisfies((refused) -> assertThat(((QaIsProdException) refused).undecided()).isFalse());
	}

	@Test
	void aServerThatCannotSayWhoItIsStopsTheRestore() {
		when(this.backupSettings.commandTimeout()).thenReturn(Duration.ofSeconds(5));
		// nothing listens on port 1: whether the two are one database cannot be told
		DatabaseSettings qa = database("127.0.0.1", 1, "reporting_qa");
		DatabaseSettings prod = database("127.0.0.1", 2, "reporting");

		assertThatThrownBy(() -> this.check.requireQaIsNotProd(qa, prod)).isInstanceOf(QaIsProdException.class)
			.hasMessageStartingWith("Refused: cannot tell whether the QA database reporting_qa on 127.0.0.1:1 "
					+ "is the Prod database reporting on 127.0.0.1:2")
			.hasMessageContaining("Nothing was touched")
			.hasMessageContaining("pg_control_system()")
			.hasMessageNotContaining("db-password-7c")
			.satisfies((refused) -> assertThat(((QaIsProdException) refused).undecided()).isTrue());
	}

}
