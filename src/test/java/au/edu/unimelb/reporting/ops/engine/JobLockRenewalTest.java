package au.edu.unimelb.reporting.ops.engine;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import au.edu.unimelb.reporting.ops.config.Secret;
import au.edu.unimelb.reporting.ops.config.SecretGuard;
import au.edu.unimelb.reporting.ops.shell.CommandFailedException;
import au.edu.unimelb.reporting.ops.shell.CommandResult;
import au.edu.unimelb.reporting.ops.shell.CommandRunner;
import au.edu.unimelb.reporting.ops.shell.TestPrograms;
import org.awaitility.Awaitility;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link JobLockRenewal} against a table shaped like Camunda's {@code ACT_RU_JOB} on H2:
 * only this node's running jobs get a later expiry; and when renewing keeps failing until
 * the locks are about to expire, the programs the steps run are stopped.
 */
class JobLockRenewalTest {

	static final Duration LOCK = Duration.ofMinutes(5);

	final CommandRunner commands = new CommandRunner(new SecretGuard(List.of(Secret.of("unused-secret-7f"))));

	@Test
	void renewsTheLocksOfThisNodesRunningJobsOnly() throws Exception {
		JdbcDataSource database = database("renewal");
		Timestamp soon = Timestamp.from(Instant.now().plusSeconds(30));
		try (Connection connection = database.getConnection(); Statement sql = connection.createStatement()) {
			sql.execute(
					"CREATE TABLE ACT_RU_JOB (ID_ varchar(64), LOCK_OWNER_ varchar(255), LOCK_EXP_TIME_ timestamp)");
			sql.execute("INSERT INTO ACT_RU_JOB VALUES ('running', 'node-a/1', '" + soon + "'), "
					+ "('taken-over', 'node-b/2', '" + soon + "'), ('queued', 'node-a/1', '" + soon + "')");
		}
		JobLockRenewal renewal = new JobLockRenewal(null, database, this.commands);

		assertThat(renewal.renew(Set.of("running", "taken-over"), "node-a/1", LOCK, Instant.now())).isEqualTo(1);

		try (Connection connection = database.getConnection();
				Statement sql = connection.createStatement();
				ResultSet rows = sql.executeQuery("SELECT ID_, LOCK_EXP_TIME_ FROM ACT_RU_JOB ORDER BY ID_")) {
			rows.next();
			assertThat(rows.getString(1)).isEqualTo("queued");
			assertThat(rows.getTimestamp(2).getTime()).as("not executing here: left to expire")
				.isEqualTo(soon.getTime());
			rows.next();
			assertThat(rows.getString(1)).isEqualTo("running");
			assertThat(rows.getTimestamp(2).toInstant()).isAfter(Instant.now().plus(LOCK).minusSeconds(10));
			rows.next();
			assertThat(rows.getTimestamp(2).getTime()).as("another node's lock now: untouched")
				.isEqualTo(soon.getTime());
		}
	}

	@Test
	void stopsTheStepsProgramsWhenItCannotRenewBeforeTheLocksExpire() throws Exception {
		// no ACT_RU_JOB here: every renewal fails, as when the database is unreachable
		JobLockRenewal renewal = new JobLockRenewal(null, database("unreachable"), this.commands);
		Instant start = Instant.now();
		renewal.renewedAt(start);
		CompletableFuture<CommandResult> step = CompletableFuture
			.supplyAsync(() -> this.commands.run(TestPrograms.command("sleep", "60")));
		Awaitility.await("the step's sleep 60 running")
			.atMost(Duration.ofSeconds(10))
			.until(() -> ProcessHandle.current()
				.descendants()
				.anyMatch((child) -> child.info().commandLine().orElse("").contains("sleep 60")));

		renewal.renew(Set.of("job-1"), "node-a/1", LOCK, start.plus(Duration.ofMinutes(2)));
		TimeUnit.MILLISECONDS.sleep(300);
		assertThat(step).as("two minutes without renewal: the locks hold for three more").isNotDone();

		renewal.renew(Set.of("job-1"), "node-a/1", LOCK, start.plus(Duration.ofSeconds(225)));
		assertThatThrownBy(() -> step.get(10, TimeUnit.SECONDS)).rootCause()
			.isInstanceOf(CommandFailedException.class)
			.hasMessageStartingWith("sleep 60 was stopped: this node could not renew its job locks for 225 s");
	}

	private static JdbcDataSource database(String name) {
		JdbcDataSource database = new JdbcDataSource();
		database.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
		return database;
	}

}
