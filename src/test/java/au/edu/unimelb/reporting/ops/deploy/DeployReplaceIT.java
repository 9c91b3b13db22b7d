package au.edu.unimelb.reporting.ops.deploy;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import au.edu.unimelb.reporting.ops.heat.HeatStacks;
import au.edu.unimelb.reporting.ops.heat.StackState;
import au.edu.unimelb.reporting.ops.heat.StackStatus;
import au.edu.unimelb.reporting.ops.support.LoopbackDeployEnvironment;
import au.edu.unimelb.reporting.ops.support.LoopbackSshd;
import au.edu.unimelb.reporting.ops.support.LoopbackWebFront;
import au.edu.unimelb.reporting.ops.support.ProcessArgvWatch;
import au.edu.unimelb.reporting.ops.support.RunningService;
import au.edu.unimelb.reporting.ops.support.SecretScan;
import au.edu.unimelb.reporting.ops.support.ServiceClient;
import au.edu.unimelb.reporting.ops.support.StandInAppServer;
import au.edu.unimelb.reporting.ops.support.StandInCompute;
import au.edu.unimelb.reporting.ops.support.TestHeatDirectory;
import au.edu.unimelb.reporting.ops.support.ThreadDumpOnTimeout;
import org.awaitility.Awaitility;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * deploy-replace and rollback through the whole service, against the real loopback test
 * bed: Keystone + Heat running the production {@code heat/app-server.yaml}, a real nginx
 * web front switched over real SSH, and stand-in app servers on 127.0.0.11 and
 * 127.0.0.12, each with its own sshd, which get their database password over it (their
 * host key checked against the console log of the stand-in compute API). Started over
 * REST as Jenkins does. After every fault the old server still serves.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(OutputCaptureExtension.class)
@Timeout(value = 15, unit = TimeUnit.MINUTES)
@ExtendWith(ThreadDumpOnTimeout.class)
class DeployReplaceIT {

	static final String JENKINS_PASSWORD = LoopbackDeployEnvironment.JENKINS_PASSWORD;

	static final List<String> PASSWORDS = List.of(LoopbackDeployEnvironment.password("qa"),
			LoopbackDeployEnvironment.password("prod"));

	@TempDir
	static Path dir;

	static LoopbackDeployEnvironment env;

	static String PREFIX;

	static StandInAppServer blue;

	static StandInAppServer green;

	static LoopbackWebFront front;

	static LoopbackSshd sshd;

	static TestHeatDirectory heatDir;

	static RunningService service;

	static ServiceClient client;

	@BeforeAll
	static void start() throws Exception {
		env = LoopbackDeployEnvironment.start(dir,
				Map.of("ops.deploy.poll-initial", "200ms", "ops.deploy.poll-max", "1s", "ops.deploy.health-timeout",
						"4s", "ops.deploy.public-check-timeout", "4s", "ops.deploy.host-keys-timeout", "4s"));
		PREFIX = env.prefix;
		blue = env.blue;
		green = env.green;
		front = env.front;
		sshd = env.sshd;
		heatDir = env.heat;
		service = env.service;
		client = env.client;
	}

	@AfterAll
	static void stop() throws Exception {
		if (env != null) {
			env.sshd = sshd;
			env.close();
		}
	}

	@Test
	@Order(1)
	void deploysANewStackDeliversItsSecretsAndSwitchesTheWebFrontToIt(CapturedOutput output) throws Exception {
		blue.serve("b1");
		blue.forgetPassword();
		heatDir.knobs(Map.of("fake_server_ip", "127.0.0.11"));
		Map<String, Object> record;
		double deployed = deploysDeployed();
		try (ProcessArgvWatch argv = new ProcessArgvWatch(PASSWORDS)) {
			record = deployAndWait("b1");
			assertThat(argv.leaks()).as("argv holding a database password").isEmpty();
		}

		// the blue stand-in's own sshd took the delivery (another class's sshd may run
		// beside)
		assertThat(env.blueSshd.log()).as("the stand-in's sshd ran the delivery")
			.contains("Accepted publickey for root");

		assertThat(record).containsEntry("outcome", "DEPLOYED")
			.containsEntry("build", "b1")
			.containsEntry("stackName", PREFIX + "1")
			.containsEntry("address", blue.address())
			.containsEntry("startedBy", "admin");
		assertThat((String) record.get("templateHash")).hasSize(64);
		assertThat(served()).contains("\"build\":\"b1\"");
		assertThat(deploysDeployed()).as("reporting_deploys_total of QA's deploys that deployed")
			.isEqualTo(deployed + 1);
		// the service adds application="reporting-ops" to every metric
		// read again on the metrics' thread soon after the run's end
		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(prometheus())
				.containsPattern("reporting_environment_serving_info\\{[^}]*build=\"b1\",[^}]*"
						+ "environment=\"qa\",stack=\"" + PREFIX + "1\"} 1"));

		Path password = env.delivered(blue, "db-password");
		assertThat(password).hasContent(LoopbackDeployEnvironment.password("qa"));
		assertThat(Files.readString(password)).isEqualTo(LoopbackDeployEnvironment.password("qa") + "\n");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(password))).isEqualTo("rw-------");
		Path keys = env.delivered(blue, "authorized_keys2");
		assertThat(Files.readString(keys)).isEqualTo(env.extraKey + "\n");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys))).isEqualTo("rw-------");
		assertThat(env.compute.calls()).as("the host keys came from the console").isPositive();

		try (Connection engine = service.bean(DataSource.class).getConnection()) {
			assertThat(SecretScan.engineTables(engine, PASSWORDS)).as("ACT_ tables holding a password").isEmpty();
		}
		assertThat(output.getAll()).contains("Delivered the qa database password to root@127.0.0.11")
			.doesNotContain(PASSWORDS);
	}

	@Test
	@Order(2)
	void keepsThePreviousStackAndRetiresOlderOnes() throws Exception {
		green.serve("b2");
		heatDir.knobs(Map.of("fake_server_ip", "127.0.0.12"));
		assertThat(deployAndWait("b2")).containsEntry("outcome", "DEPLOYED")
			.containsEntry("previousAddress", blue.address());
		assertThat(served()).contains("\"build\":\"b2\"");
		assertThat(stackNames()).containsExactly(PREFIX + "1", PREFIX + "2");

		blue.serve("b3");
		heatDir.knobs(Map.of("fake_server_ip", "127.0.0.11"));
		assertThat(deployAndWait("b3")).containsEntry("outcome", "DEPLOYED");
		assertThat(served()).contains("\"build\":\"b3\"");
		assertThat(stackNames()).as("stack 1 retired, stack 2 kept for rollback")
			.containsExactly(PREFIX + "2", PREFIX + "3");
	}

	@Test
	@Order(3)
	void rollsBackToTheKeptStack() throws Exception {
		// An operator starts a rollback (Jenkins may not).
		String admin = adminPassword();
		HttpResponse<String> refused = client.postJson("/engine-rest/process-definition/key/rollback/start",
				"{\"variables\":{\"environment\":{\"value\":\"qa\"}}}", "jenkins", JENKINS_PASSWORD);
		assertThat(refused.statusCode()).isIn(403, 404);
		String id = start("rollback", "{\"variables\":{\"environment\":{\"value\":\"qa\"}}}", "admin", admin);
		Map<String, Object> record = awaitEnd(id);
		assertThat(record).containsEntry("outcome", "ROLLED_BACK")
			.containsEntry("stackName", PREFIX + "2")
			.containsEntry("address", green.address());
		awaitServed("b2");
	}

	@Test
	@Order(4)
	void aFailedCreateDeletesTheNewStackAndLeavesTheOldServerServing() throws Exception {
		heatDir.knobs(Map.of("fake_server_ip", "127.0.0.11", "fake_server_fail", "true"));
		Map<String, Object> record = deployAndWait("b4");
		assertThat(record).containsEntry("outcome", "FAILED");
		assertThat((String) record.get("detail")).contains("CREATE_FAILED");
		assertThat(served()).contains("\"build\":\"b2\"");
		awaitGone((String) record.get("stackName"));
	}

	@Test
	@Order(5)
	void aServerThatNeverGetsHealthyIsNeverSwitchedTo() throws Exception {
		blue.serve("b5");
		blue.setHealthy(false);
		heatDir.knobs(Map.of("fake_server_ip", "127.0.0.11"));
		try {
			Map<String, Object> record = deployAndWait("b5");
			assertThat(record).containsEntry("outcome", "FAILED");
			assertThat((String) record.get("detail")).contains("never became healthy");
			assertThat(record.get("previousAddress")).isNull();
			assertThat(served()).contains("\"build\":\"b2\"");
			awaitGone((String) record.get("stackName"));
		}
		finally {
			blue.setHealthy(true);
		}
	}

	@Test
	@Order(6)
	void switchesBackWhenThePublicUrlDoesNotServeTheNewBuild() throws Exception {
		blue.serve("some-other-build");
		heatDir.knobs(Map.of("fake_server_ip", "127.0.0.11"));
		Map<String, Object> record = deployAndWait("b6");
		assertThat(record).containsEntry("outcome", "FAILED").containsEntry("previousAddress", green.address());
		assertThat((String) record.get("detail")).contains("does not serve build b6");
		assertThat(front.target()).isEqualTo(green.address());
		awaitServed("b2");
		awaitGone((String) record.get("stackName"));
	}

	@Test
	@Order(7)
	void refusesASecondDeployToTheSameEnvironmentWhileOneRuns() throws Exception {
		heatDir.knobs(Map.of("fake_server_ip", "127.0.0.11", "fake_server_create_secs", "30"));
		String first = start("deploy-replace", vars("b7"));
		HttpResponse<String> second = client.postJson("/engine-rest/process-definition/key/deploy-replace/start",
				vars("b8"), "admin", adminPassword());
		assertThat(second.statusCode()).isEqualTo(409);
		assertThat(second.body()).contains("Locked by another run: deploy:qa is held by process instance")
			.contains(first);
		// The cancel below must find the first run's stack made: cancelled before its
		// job ran (a busy machine), the run has none, and the next deploy takes number 7
		Awaitility.await("the first run's stack " + PREFIX + "7 in Heat")
			.atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> stackNames().contains(PREFIX + "7"));

		// Cancelled by an operator: the lock is released and the record says so. (A job
		// of the run may be
		// executing at that moment; the engine then refuses the delete, and the operator
		// tries again.)
		Awaitility.await("an operator's cancel of " + first + " accepted")
			.atMost(Duration.ofSeconds(30))
			.ignoreExceptions()
			.untilAsserted(() -> service.bean(ProcessEngine.class)
				.getRuntimeService()
				.deleteProcessInstance(first, "cancelled by the test"));
		assertThat(record(first)).containsEntry("outcome", "CANCELLED");
		heatDir.knobs(Map.of("fake_server_ip", "127.0.0.11"));
		blue.serve("b9");
		assertThat(deployAndWait("b9")).containsEntry("outcome", "DEPLOYED");
		assertThat(stackNames()).as("the cancelled run's stack is retired too").doesNotContain(PREFIX + "7");
	}

	@Test
	@Order(8)
	void anSshFailureRaisesAnIncidentAndARetryFinishesTheDeploy() throws Exception {
		green.serve("b10");
		heatDir.knobs(Map.of("fake_server_ip", "127.0.0.12"));
		sshd.close();
		String id = start("deploy-replace", vars("b10"));
		Job failed = raiseIncident(id);
		assertThat(failed.getExceptionMessage()).contains("ssh root@127.0.0.1");
		assertThat(served()).contains("\"build\":\"b9\"");

		sshd = LoopbackSshd.restart(sshd);
		service.bean(ProcessEngine.class).getManagementService().setJobRetries(failed.getId(), 1);
		assertThat(awaitEnd(id)).containsEntry("outcome", "DEPLOYED");
		assertThat(served()).contains("\"build\":\"b10\"");
	}

	@Test
	@Order(9)
	void aFailedDeleteOfAnOldStackRaisesAnIncidentAndARetryFinishesAfterTheFix() throws Exception {
		// The new server first serves another build, so the check through the web front
		// waits;
		// meanwhile Heat goes down, and retiring the old stacks fails.
		blue.serve("not-yet");
		heatDir.knobs(Map.of("fake_server_ip", "127.0.0.11"));
		String id = start("deploy-replace", vars("b11"));
		Awaitility.await("the web front switched to " + blue.address())
			.atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> front.target().equals(blue.address()));
		stopHeat();
		try {
			heatIsDownInTheDependenciesGroupOnly();
			blue.serve("b11");
			Job failed = raiseIncident(id);
			assertThat(failed.getExceptionMessage()).contains("Heat call").contains("failed");
			awaitServed("b11");

			startHeat();
			service.bean(ProcessEngine.class).getManagementService().setJobRetries(failed.getId(), 1);
			assertThat(awaitEnd(id)).containsEntry("outcome", "DEPLOYED");
		}
		finally {
			startHeat();
		}
	}

	@Test
	@Order(10)
	void aStackThatNeverCompletesFailsAtItsDeadline() throws Exception {
		heatDir.knobs(Map.of("fake_server_ip", "127.0.0.12", "fake_server_create_secs", "-1"));
		Map<String, Object> record = deployAndWait("b12");
		assertThat(record).containsEntry("outcome", "FAILED");
		assertThat((String) record.get("detail")).containsAnyOf("deadline", "CREATE_FAILED");
		awaitServed("b11");
		awaitGone((String) record.get("stackName"));
	}

	/**
	 * Safety rule 10 on the real Heat: deploy, deploy (a bad build), roll back, deploy,
	 * roll back again — the second rollback lands on the last good build, not on the bad
	 * one that retirement would once have kept.
	 */
	@Test
	@Order(11)
	void twoRollbacksAroundADeployEndOnTheLastGoodBuild() throws Exception {
		green.serve("good-1");
		heatDir.knobs(Map.of("fake_server_ip", "127.0.0.12"));
		String good = (String) deployAndWait("good-1").get("stackName");
		blue.serve("bad-2");
		heatDir.knobs(Map.of("fake_server_ip", "127.0.0.11"));
		String bad = (String) deployAndWait("bad-2").get("stackName");
		String rollback = "{\"variables\":{\"environment\":{\"value\":\"qa\"}}}";
		assertThat(awaitEnd(start("rollback", rollback))).containsEntry("outcome", "ROLLED_BACK")
			.containsEntry("stackName", good);
		awaitServed("good-1");

		blue.serve("next-3");
		Map<String, Object> next = deployAndWait("next-3");
		assertThat(next).containsEntry("outcome", "DEPLOYED");
		assertThat(stackNames()).as("the rolled-back-from stack is retired, the good one kept")
			.contains(good, (String) next.get("stackName"))
			.doesNotContain(bad);

		assertThat(awaitEnd(start("rollback", rollback))).containsEntry("outcome", "ROLLED_BACK")
			.containsEntry("stackName", good);
		awaitServed("good-1");
	}

	@Test
	@Order(12)
	void aNewServerWhoseSshIsDownRaisesAnIncidentAndARetryAfterTheFixDelivers() throws Exception {
		blue.serve("b13");
		blue.forgetPassword();
		heatDir.knobs(Map.of("fake_server_ip", "127.0.0.11"));
		env.blueSshd.close();
		String id;
		try {
			id = start("deploy-replace", vars("b13"));
			Job failed = raiseIncident(id);
			assertThat(failed.getExceptionMessage()).contains("ssh root@127.0.0.11:");
			assertThat(service.bean(ProcessEngine.class)
				.getRuntimeService()
				.createIncidentQuery()
				.processInstanceId(id)
				.singleResult()
				.getActivityId()).isEqualTo("Task_DeliverSecrets");
			assertThat(served()).contains("\"build\":\"good-1\"");
			assertThat(env.delivered(blue, "db-password")).doesNotExist();
		}
		finally {
			env.blueSshd = LoopbackSshd.restart(env.blueSshd);
		}
		ManagementService management = service.bean(ProcessEngine.class).getManagementService();
		management.setJobRetries(management.createJobQuery().processInstanceId(id).singleResult().getId(), 1);
		assertThat(awaitEnd(id)).containsEntry("outcome", "DEPLOYED");
		assertThat(env.delivered(blue, "db-password")).hasContent(LoopbackDeployEnvironment.password("qa"));
		awaitServed("b13");
	}

	@Test
	@Order(13)
	void aNewServerWithAnotherHostKeyIsRefusedItsStackDeletedAndTheOldServerKeepsServing() throws Exception {
		green.serve("b14");
		green.forgetPassword();
		heatDir.knobs(Map.of("fake_server_ip", "127.0.0.12"));
		env.compute.show(StandInCompute.Console.WRONG_HOST_KEY);
		try {
			Map<String, Object> record = deployAndWait("b14");
			assertThat(record).containsEntry("outcome", "FAILED");
			assertThat(record.get("previousAddress")).isNull();
			assertThat((String) record.get("detail")).contains("Refused to give the new server its secrets")
				.contains("the host key does not match")
				.contains("the old server keeps serving");
			assertThat(env.delivered(green, "db-password")).as("nothing sent to it").doesNotExist();
			assertThat(served()).contains("\"build\":\"b13\"");
			awaitGone((String) record.get("stackName"));
		}
		finally {
			env.compute.show(StandInCompute.Console.HOST_KEYS);
		}
	}

	@Test
	@Order(14)
	void aNewServerWhoseConsoleNeverShowsItsHostKeysGetsNothingAndIsDeleted() throws Exception {
		green.serve("b15");
		green.forgetPassword();
		heatDir.knobs(Map.of("fake_server_ip", "127.0.0.12"));
		env.compute.show(StandInCompute.Console.NO_HOST_KEYS);
		try {
			Map<String, Object> record = deployAndWait("b15");
			assertThat(record).containsEntry("outcome", "FAILED");
			assertThat((String) record.get("detail")).contains("showed no SSH host keys");
			assertThat(env.delivered(green, "db-password")).doesNotExist();
			assertThat(served()).contains("\"build\":\"b13\"");
			awaitGone((String) record.get("stackName"));
		}
		finally {
			env.compute.show(StandInCompute.Console.HOST_KEYS);
		}
	}

	// ---- helpers

	/**
	 * Heat's outage shows in {@code /actuator/health/dependencies} (its details to an
	 * operator only), never where a load balancer looks; the web front's SSH is UP.
	 */
	static void heatIsDownInTheDependenciesGroupOnly() {
		HttpResponse<String> dependencies = Awaitility.await("heat DOWN in /actuator/health/dependencies")
			.atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> client.get("/actuator/health/dependencies"),
					(answer) -> answer.body().contains("\"heat\":{\"status\":\"DOWN\""));
		assertThat(dependencies.statusCode()).isEqualTo(503);
		assertThat(dependencies.body()).contains("\"webFront\":{\"status\":\"UP\"").doesNotContain("details");
		assertThat(client.get("/actuator/health/dependencies/heat", "admin", env.adminPassword()).body())
			.contains("\"error\"");
		for (String path : List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness")) {
			HttpResponse<String> health = client.get(path);
			assertThat(health.statusCode()).as(path).isEqualTo(200);
			assertThat(health.body()).as(path).contains("\"UP\"").doesNotContain("heat");
		}
	}

	/**
	 * Heat goes away for this service only (other tests use the test bed's Heat
	 * meanwhile).
	 */
	static void stopHeat() throws Exception {
		env.heatLink.cut();
	}

	static void startHeat() throws Exception {
		env.heatLink.mend();
	}

	/**
	 * Waits for the run's first failed try of a job, then uses up its retries as the
	 * retry cycle would: an incident for Cockpit.
	 */
	static Job raiseIncident(String id) {
		ManagementService management = service.bean(ProcessEngine.class).getManagementService();
		Job failed = Awaitility.await("a failed try of a job of " + id)
			.atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> management.createJobQuery().processInstanceId(id).withException().singleResult(),
					(job) -> job != null);
		management.setJobRetries(failed.getId(), 0);
		assertThat(service.bean(ProcessEngine.class)
			.getRuntimeService()
			.createIncidentQuery()
			.processInstanceId(id)
			.count()).as("an incident for Cockpit").isEqualTo(1);
		return failed;
	}

	static Map<String, Object> deployAndWait(String build) throws Exception {
		return awaitEnd(start("deploy-replace", vars(build)));
	}

	static String vars(String build) {
		return "{\"variables\":{\"environment\":{\"value\":\"qa\"},\"build\":{\"value\":\"" + build + "\"}}}";
	}

	/** Deploys and rollbacks outside a release are an operator's (safety rule 9). */
	static String start(String process, String body) {
		return start(process, body, "admin", adminPassword());
	}

	static String prometheus() {
		HttpResponse<String> scrape = client.get("/actuator/prometheus", "admin", adminPassword());
		assertThat(scrape.statusCode()).isEqualTo(200);
		return scrape.body();
	}

	static double deploysDeployed() {
		String line = prometheus().lines()
			.filter((metric) -> metric.startsWith("reporting_deploys_total{")
					&& metric.contains("environment=\"qa\",outcome=\"deployed\"}"))
			.findFirst()
			.orElseThrow();
		return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
	}

	static String adminPassword() {
		return env.adminPassword();
	}

	static String start(String process, String body, String user, String password) {
		HttpResponse<String> response = client.postJson("/engine-rest/process-definition/key/" + process + "/start",
				body, user, password);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		Matcher id = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(response.body());
		assertThat(id.find()).isTrue();
		return id.group(1);
	}

	static Map<String, Object> awaitEnd(String id) throws Exception {
		HistoryService history = service.bean(ProcessEngine.class).getHistoryService();
		Awaitility.await("the end of " + id)
			.atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> history.createHistoricProcessInstanceQuery().processInstanceId(id).finished().count() == 1);
		return record(id);
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> record(String id) throws Exception {
		HttpResponse<String> response = client.get("/api/deployments/" + id, "jenkins", JENKINS_PASSWORD);
		assertThat(response.statusCode()).isEqualTo(200);
		return new com.fasterxml.jackson.databind.ObjectMapper().readValue(response.body(), Map.class);
	}

	static List<String> stackNames() {
		return service.bean(HeatStacks.class)
			.listNumbered("qa", PREFIX)
			.stream()
			.filter((state) -> state.status() != StackStatus.DELETE_IN_PROGRESS)
			.map((StackState state) -> state.ref().name())
			.toList();
	}

	static void awaitGone(String stackName) {
		Awaitility.await("stack " + stackName + " gone from Heat")
			.atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> service.bean(HeatStacks.class).find("qa", stackName).isEmpty());
	}

	/**
	 * New requests reach the new server soon after a switch (upstream keep-alive
	 * connections drain in about 0.5 s; scripts/bench-switch.sh measures it, a test on
	 * shared cores only waits for it).
	 */
	static void awaitServed(String build) {
		Awaitility.await("build " + build + " served through the web front")
			.atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(50))
			.untilAsserted(() -> assertThat(served()).contains("\"build\":\"" + build + "\""));
	}

	static String served() throws Exception {
		return front.served();
	}

}
