package au.edu.unimelb.reporting.ops.deploy;

import java.util.List;
import java.util.concurrent.TimeUnit;

import au.edu.unimelb.reporting.ops.deploy.StackRetention.Served;
import au.edu.unimelb.reporting.ops.support.TestPostgres;
import au.edu.unimelb.reporting.ops.support.ThreadDumpOnTimeout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What serves, and what served, as the records on a real PostgreSQL say it (the service's
 * own schema.sql): a run counts as serving from the moment its switch commits, however it
 * ends, until it is switched back.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
@ExtendWith(ThreadDumpOnTimeout.class)
class DeploymentRecordsIT {

	static TestPostgres database;

	static DeploymentRecords records;

	@BeforeAll
	static void schema() {
		database = TestPostgres.createDatabase("records");
		DriverManagerDataSource source = new DriverManagerDataSource(database.jdbcUrl(), database.user(),
				database.password());
		new ResourceDatabasePopulator(new ClassPathResource("schema.sql")).execute(source);
		records = new DeploymentRecords(new JdbcTemplate(source));
	}

	@AfterAll
	static void drop() {
		if (database != null) {
			database.drop();
		}
	}

	@Test
	void aRollbackCancelledRightAfterItsSwitchStillMarksTheStackItLeft() throws Exception {
		run("d5", "DEPLOY", "q_5", "DEPLOYED");
		run("d6", "DEPLOY", "q_6", "DEPLOYED");
		run("r5", "ROLLBACK", "q_5", "CANCELLED"); // switched, then cancelled before its
													// end event
		run("d7", "DEPLOY", "q_7", null); // switched; its run has not ended yet
		records.start("d8", "DEPLOY", "qa", "b8", "admin");
		records.stack("d8", "q_8", "id-8", null);
		records.switched("d8", "127.0.0.11:80");
		records.switchedBack("d8"); // its post-switch check failed
		records.finish("d8", "FAILED", "switched back");

		assertThat(records.servedHistory("qa")).extracting(Served::stackName, Served::rollback)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("q_5", false),
					org.assertj.core.groups.Tuple.tuple("q_6", false), org.assertj.core.groups.Tuple.tuple("q_5", true),
					org.assertj.core.groups.Tuple.tuple("q_7", false));
		assertThat(records.serving("qa")).get().extracting(DeploymentRecord::stackName).isEqualTo("q_7");
		assertThat(records.recordedStacks("qa")).containsExactlyInAnyOrder("q_5", "q_6", "q_7", "q_8");
		assertThat(StackRetention
			.wayBack(List.of(StackRetentionTest.stack("5:ok"), StackRetentionTest.stack("6:ok")),
					renamed(records.servedHistory("qa")), StackRetentionTest.PREFIX + "7")
			.map(au.edu.unimelb.reporting.ops.heat.StackRef::name)).contains(StackRetentionTest.PREFIX + "5");
	}

	private static void run(String id, String kind, String stack, String outcome) throws InterruptedException {
		records.start(id, kind, "qa", "b", "admin");
		records.stack(id, stack, "id-" + stack, null);
		records.switched(id, "127.0.0.12:80");
		if (outcome != null) {
			records.finish(id, outcome, null);
		}
		Thread.sleep(5); // distinct switch times
	}

	/** The records' q_N as the retention tables' prefix + N. */
	private static List<Served> renamed(List<Served> served) {
		return served.stream()
			.map((event) -> new Served(StackRetentionTest.PREFIX + event.stackName().substring(2), event.rollback(),
					event.at()))
			.toList();
	}

}
