package au.edu.unimelb.reporting.ops.engine;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import au.edu.unimelb.reporting.ops.deploy.DeploymentRecords;
import au.edu.unimelb.reporting.ops.nightly.BackupRecords;
import au.edu.unimelb.reporting.ops.support.TestPostgres;
import au.edu.unimelb.reporting.ops.support.ThreadDumpOnTimeout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.core.io.ClassPathResource;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the metrics read, on a real PostgreSQL with the service's schema.sql: their
 * queries give up after {@link MetricsReads#QUERY_TIMEOUT} when a table is locked, a
 * deploy whose run is gone from the engine is not running, and QA's data is found behind
 * any number of failed restores.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
@ExtendWith(ThreadDumpOnTimeout.class)
class MetricsReadsIT {

	static TestPostgres database;

	static DriverManagerDataSource source;

	@BeforeAll
	static void schema() {
		database = TestPostgres.createDatabase("metrics");
		source = new DriverManagerDataSource(database.jdbcUrl(), database.user(), database.password());
		new ResourceDatabasePopulator(new ClassPathResource("schema.sql")).execute(source);
		// the one column of the engine's table the records look at
		new JdbcTemplate(source).execute("CREATE TABLE ACT_RU_EXECUTION (ID_ VARCHAR(64) PRIMARY KEY)");
	}

	@AfterAll
	static void drop() {
		if (database != null) {
			database.drop();
		}
	}

	@Test
	void aQueryOnALockedTableGivesUpAfterTheTimeout() throws Exception {
		try (Connection locker = database.connect()) {
			locker.setAutoCommit(false);
			try (Statement lock = locker.createStatement()) {
				lock.execute("LOCK TABLE ops_backup_set IN ACCESS EXCLUSIVE MODE");
			}
			BackupRecords records = new BackupRecords(MetricsReads.bounded(source));
			long started = System.nanoTime();

			assertThatThrownBy(() -> records.lastVerified("daily")).isInstanceOf(DataAccessException.class);

			Duration took = Duration.ofNanos(System.nanoTime() - started);
			assertThat(took).isGreaterThanOrEqualTo(MetricsReads.QUERY_TIMEOUT.minusMillis(100))
				.isLessThan(MetricsReads.QUERY_TIMEOUT.plusSeconds(3));
			locker.rollback();
		}
	}

	@Test
	void aDeployWhoseRunIsGoneFromTheEngineIsNotRunning() {
		JdbcTemplate jdbc = new JdbcTemplate(source);
		DeploymentRecords records = new DeploymentRecords(jdbc);
		records.start("run-deleted", "DEPLOY", "prod", "b1", "admin");
		records.start("run-alive", "DEPLOY", "qa", "b2", "admin");
		jdbc.update("INSERT INTO ACT_RU_EXECUTION (ID_) VALUES ('run-alive')");

		assertThat(records.deploysRunningSince()).containsOnlyKeys("qa");
	}

	@Test
	void qasDataIsFoundBehindAnyNumberOfFailedRestores() throws Exception {
		BackupRecords records = new BackupRecords(new JdbcTemplate(source));
		records.start("restored", BackupRecords.RESTORE, "timer");
		records.restoredFrom("restored", "backup-1", Instant.parse("2026-11-20T02:00:00Z"));
		records.finish("restored", BackupRecords.RESTORED, null);
		for (int i = 0; i < 25; i++) {
			Thread.sleep(2);
			records.start("failed-" + i, BackupRecords.RESTORE, "timer");
			records.finish("failed-" + i, "FAILED", "no set");
		}
		records.start("running", BackupRecords.RESTORE, "timer");

		assertThat(records.lastEnded(BackupRecords.RESTORE, BackupRecords.RESTORED)).get()
			.extracting(BackupRecords.BackupRun::backupTime)
			.isEqualTo(Instant.parse("2026-11-20T02:00:00Z"));
		assertThat(records.lastEndedExcept(BackupRecords.RESTORE, BackupRecords.RESTORED)).get()
			.extracting(BackupRecords.BackupRun::id)
			.isEqualTo("failed-24");
	}

}
