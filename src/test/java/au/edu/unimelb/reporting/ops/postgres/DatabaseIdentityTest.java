package au.edu.unimelb.reporting.ops.postgres;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Safety rule 12: one database is one system identifier and name, whatever the port. */
class DatabaseIdentityTest {

	@Test
	void aStandbyOnAnotherPortIsTheSameDatabase() {
		DatabaseIdentity primary = new DatabaseIdentity(7_345_001L, 5432, "reporting");
		DatabaseIdentity standby = new DatabaseIdentity(7_345_001L, 5433, "reporting");
		assertThat(standby.sameDatabaseAs(primary)).isTrue();
	}

	@Test
	void anotherNameOrAnotherClusterIsAnotherDatabase() {
		DatabaseIdentity prod = new DatabaseIdentity(7_345_001L, 5432, "reporting");
		assertThat(new DatabaseIdentity(7_345_001L, 5432, "reporting_qa").sameDatabaseAs(prod)).isFalse();
		assertThat(new DatabaseIdentity(9_999_999L, 5432, "reporting").sameDatabaseAs(prod)).isFalse();
	}

}
