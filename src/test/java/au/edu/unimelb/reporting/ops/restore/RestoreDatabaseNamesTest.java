package au.edu.unimelb.reporting.ops.restore;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The names a restore run gives its databases: from QA's name and the run's id alone, of
 * one fixed form.
 */
class RestoreDatabaseNamesTest {

	@Test
	void theTemporaryDatabaseIsNamedFromQaAndTheRunsIdAlone() {
		assertThat(RestoreDatabaseNames.tempName("reporting_qa", "3F2A9C1E-8B7D-11EF-9A1C-0242AC120002"))
			.isEqualTo("reporting_qa_restore_3f2a9c1e8b7d");
		assertThat(RestoreDatabaseNames.tempName("reporting_qa", "42")).isEqualTo("reporting_qa_restore_42");
		assertThat(RestoreDatabaseNames.retiredName("reporting_qa", "42")).isEqualTo("reporting_qa_old_42");
	}

	@Test
	void aLongQaNameIsShortenedSoTheNameStaysAPlainPostgresName() {
		String qa = "q".repeat(63);
		assertThat(RestoreDatabaseNames.tempName(qa, "3f2a9c1e-8b7d"))
			.isEqualTo("q".repeat(40) + "_restore_3f2a9c1e8b7d")
			.hasSizeLessThanOrEqualTo(63);
	}

	@Test
	void aRunIdThatGivesNoNameOfThatFormIsRefused() {
		assertThatThrownBy(() -> RestoreDatabaseNames.tempName("reporting_qa", "--;--"))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("gives no temporary database name");
	}

	@Test
	void aNameThatWouldBeProdsOrQasIsRefused() {
		assertThatThrownBy(() -> RestoreDatabaseNames.tempDatabase("reporting_qa", "reporting_qa_restore_42", "42"))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("which is QA's or Prod's name: refusing to touch it");
		assertThatThrownBy(() -> RestoreDatabaseNames.retiredDatabase("reporting_qa", "reporting_qa_old_42", "42"))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("The retired copy of QA in run 42 would be reporting_qa_old_42");
		assertThat(RestoreDatabaseNames.tempDatabase("reporting_qa", "reporting", "42"))
			.isEqualTo("reporting_qa_restore_42");
	}

}
