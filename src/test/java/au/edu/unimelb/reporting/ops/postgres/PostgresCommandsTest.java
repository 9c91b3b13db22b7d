package au.edu.unimelb.reporting.ops.postgres;

import java.nio.file.Path;
import java.time.Duration;

import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings.DatabaseSettings;
import au.edu.unimelb.reporting.ops.config.Secret;
import au.edu.unimelb.reporting.ops.shell.Command;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PostgresCommandsTest {

	final PostgresCommands postgres = new PostgresCommands(Duration.ofMinutes(30));

	final DatabaseSettings prod = new DatabaseSettings("db.example", 5433, "reporting", "reporting",
			Secret.of("prod-db-password"));

	@Test
	void dumpsInCustomFormatFromAnExportedSnapshot() {
		Command dump = this.postgres.dump(this.prod, Path.of("/staging/prod.dump"), "00000003-0000001B-1");
		assertThat(dump.argv()).containsExactly("pg_dump", "--host=db.example", "--port=5433", "--username=reporting",
				"--no-password", "--format=custom", "--no-owner", "--no-privileges", "--file=/staging/prod.dump",
				"--snapshot=00000003-0000001B-1", "--dbname=reporting");
		assertThat(dump.secretEnvironment()).containsOnlyKeys("PGPASSWORD");
		assertThat(String.join(" ", dump.argv())).doesNotContain("prod-db-password");
	}

	@Test
	void restoresInParallelJobsStoppingAtTheFirstError() {
		Command restore = this.postgres.restore(this.prod, "reporting_qa_restore_42", Path.of("/staging/prod.dump"), 2);
		assertThat(restore.argv()).containsSubsequence("pg_restore", "--dbname=reporting_qa_restore_42", "--jobs=2",
				"--exit-on-error", "/staging/prod.dump");
	}

	@Test
	void dumpsAtTheGivenCompressionLevel() {
		Command dump = this.postgres.dump(this.prod, Path.of("/staging/prod.dump"), "00000003-0000001B-1", 1);
		assertThat(dump.argv()).containsSubsequence("--format=custom", "--compress=1", "--snapshot=00000003-0000001B-1",
				"--dbname=reporting");
		assertThat(this.postgres.dump(this.prod, Path.of("/staging/prod.dump"), null, 0).argv())
			.contains("--compress=0");
	}

	@Test
	void restoresWithSessionSettingsForBuildingIndexesInMemory() {
		Command restore = this.postgres.restore(this.prod, "reporting_qa_restore_42", Path.of("/staging/prod.dump"), 2,
				"512MB");
		assertThat(restore.argv()).containsSubsequence("pg_restore", "--dbname=reporting_qa_restore_42", "--jobs=2",
				"--exit-on-error", "/staging/prod.dump");
		assertThat(restore.environment()).containsEntry("PGOPTIONS",
				"-c maintenance_work_mem=512MB -c synchronous_commit=off");
	}

	@Test
	void listsADumpWithoutConnecting() {
		assertThat(this.postgres.list(Path.of("/staging/prod.dump")).argv()).containsExactly("pg_restore", "--list",
				"/staging/prod.dump");
	}

}
