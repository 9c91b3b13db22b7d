package au.edu.unimelb.reporting.ops.cluster;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import au.edu.unimelb.reporting.ops.support.LoopbackSshd;
import au.edu.unimelb.reporting.ops.support.OwnThreads;
import au.edu.unimelb.reporting.ops.support.ProcessArgvWatch;
import au.edu.unimelb.reporting.ops.support.SecretScan;
import au.edu.unimelb.reporting.ops.support.ServiceClient;
import au.edu.unimelb.reporting.ops.support.ServiceProcess;
import au.edu.unimelb.reporting.ops.support.TestPostgres;
import au.edu.unimelb.reporting.ops.support.ThreadDumpOnTimeout;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two service nodes (separate JVMs of the packaged jar) on one PostgreSQL database, as
 * Camunda's homogeneous cluster: work started on either node is done exactly once, the
 * per-environment lock holds across nodes, and bad start input is refused on both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(ThreadDumpOnTimeout.class)
class ClusterIT {

	static final String ADMIN_PASSWORD = "cluster-it-admin-4d2e";

	static final String JENKINS_PASSWORD = "cluster-it-jenkins-9a7b";

	static final String TESTER_PASSWORD = "cluster-it-tester-5c6d";

	TestPostgres database;

	List<ServiceProcess> nodes = new ArrayList<>();

	List<Path> logs = new ArrayList<>();

	Map<String, String> secrets = new LinkedHashMap<>();

	ProcessArgvWatch argv;

	final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@BeforeAll
	void start(@TempDir Path dir) throws Exception {
		this.database = TestPostgres.createDatabase("cluster");
		Map<String, String> settings = new LinkedHashMap<>();
		settings.put("spring.datasource.url", this.database.jdbcUrl());
		settings.put("spring.datasource.username", this.database.user());
		settings.put("spring.datasource.password", this.database.password());
		settings.put("ops.security.admin-password", ADMIN_PASSWORD);
		settings.put("ops.security.jenkins-password", JENKINS_PASSWORD);
		settings.put("ops.security.testers[0].id", "tina");
		settings.put("ops.security.testers[0].password", TESTER_PASSWORD);
		String qa = "ops.environments.qa.";
		settings.put(qa + "cloud.auth-url", "http://127.0.0.1:9/v3");
		settings.put(qa + "cloud.project-name", "reporting");
		settings.put(qa + "cloud.user-name", "reporting-ops");
		settings.put(qa + "cloud.password", "cluster-it-cloud-1f3c");
		settings.put(qa + "stack.prefix", "cluster_qa_");
		settings.put(qa + "web-front.host", "127.0.0.1");
		settings.put(qa + "web-front.user", "root");
		settings.put(qa + "web-front.private-key-path", dir.resolve("no-key").toString());
		settings.put(qa + "web-front.known-hosts-path", dir.resolve("no-known-hosts").toString());
		settings.put(qa + "web-front.public-url", "http://127.0.0.1:9/");
		settings.put(qa + "database.host", "127.0.0.1");
		settings.put(qa + "database.name", "reporting_qa");
		settings.put(qa + "database.user", "reporting");
		settings.put(qa + "database.password", "cluster-it-db-6b8e");
		String prod = "ops.environments.prod.";
		new LinkedHashMap<>(settings).forEach((name, value) -> {
			if (name.startsWith(qa)) {
				settings.put(prod + name.substring(qa.length()), value.replace("qa", "prod"));
			}
		});
		settings.forEach((name, value) -> {
			if (name.endsWith("password")) {
				this.secrets.put(name, value);
			}
		});
		this.argv = new ProcessArgvWatch(this.secrets.values());
		for (int node = 1; node <= 2; node++) {
			Path nodeDir = dir.resolve("node" + node);
			Files.createDirectories(nodeDir);
			Map<String, String> own = new LinkedHashMap<>(settings);
			own.put("ops.data-dir", nodeDir.resolve("data").toString());
			this.logs.add(nodeDir.resolve("node.log"));
			this.nodes.add(ServiceProcess.start(nodeDir, own, LoopbackSshd.freePort(), nodeDir.resolve("node.log")));
		}
		deployNoopChain();
	}

	@AfterAll
	void stop() throws Exception {
		if (this.argv != null) {
			this.argv.close();
		}
		for (ServiceProcess node : this.nodes) {
			node.close();
		}
		if (this.database != null) {
			this.database.drop();
		}
	}

	@Test
	void aHundredStartsSpreadOverTwoNodesAllCompleteOnceEach() throws Exception {
		String run = UUID.randomUUID().toString().substring(0, 8);
		ExecutorService callers = Executors.newFixedThreadPool(16);
		List<CompletableFuture<Integer>> starts = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			ServiceProcess node = this.nodes.get(i % 2);
			String key = run + "-" + i;
			starts.add(
					CompletableFuture.supplyAsync(
							() -> post(node, "/engine-rest/process-definition/key/noop-chain/start",
									"{\"businessKey\":\"" + key + "\"}", "admin", ADMIN_PASSWORD)
								.statusCode(),
							callers));
		}
		for (CompletableFuture<Integer> start : starts) {
			assertThat(start.get()).isEqualTo(200);
		}
		callers.shutdown();
		Awaitility.await("the 100 instances of run " + run + " finished")
			.atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofMillis(250))
			.untilAsserted(() -> assertThat(get(this.nodes.get(0),
					"/engine-rest/history/process-instance/count?processDefinitionKey="
							+ "noop-chain&finished=true&processInstanceBusinessKeyLike=" + run + "%25"))
				.contains("\"count\":100"));
		String instances = get(this.nodes.get(1), "/engine-rest/history/process-instance?processDefinitionKey="
				+ "noop-chain&processInstanceBusinessKeyLike=" + run + "%25&maxResults=1000");
		Set<String> keys = new HashSet<>();
		for (String part : instances.split("\"businessKey\":\"")) {
			if (part.startsWith(run)) {
				assertThat(keys.add(part.substring(0, part.indexOf('"')))).as("one instance per start").isTrue();
			}
		}
		assertThat(keys).hasSize(100);
		String steps = get(this.nodes.get(0),
				"/engine-rest/history/activity-instance/count?activityId=Task_Step2" + "&finished=true");
		assertThat(steps).as("each step ran once per instance").contains("\"count\":100");
		assertThat(get(this.nodes.get(0), "/engine-rest/incident/count")).contains("\"count\":0");
	}

	@Test
	void twoNodesStartingADeployOfOneEnvironmentAtOnceLetExactlyOneProceed() throws Exception {
		String body = "{\"variables\":{\"environment\":{\"value\":\"qa\",\"type\":\"String\"},"
				+ "\"build\":{\"value\":\"2026.11.25-7\",\"type\":\"String\"}}}";
		CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> post(this.nodes.get(0),
				"/engine-rest/process-definition/key/deploy-replace/start", body, "admin", ADMIN_PASSWORD),
				OwnThreads.EACH);
		CompletableFuture<HttpResponse<String>> second = CompletableFuture.supplyAsync(() -> post(this.nodes.get(1),
				"/engine-rest/process-definition/key/deploy-replace/start", body, "admin", ADMIN_PASSWORD),
				OwnThreads.EACH);
		List<HttpResponse<String>> answers = List.of(first.get(), second.get());
		assertThat(answers).extracting(HttpResponse::statusCode).containsExactlyInAnyOrder(200, 409);
		HttpResponse<String> refused = answers.stream().filter((a) -> a.statusCode() == 409).findFirst().orElseThrow();
		assertThat(refused.body()).contains("Locked by another run: deploy:qa is held by process instance");
		String id = ServiceClient.idOf(answers.stream().filter((a) -> a.statusCode() == 200).findFirst().orElseThrow());
		// the accepted one cannot reach a cloud here: cancel it, which releases the lock
		cancel(this.nodes.get(1), id);
		HttpResponse<String> again = post(this.nodes.get(0), "/engine-rest/process-definition/key/deploy-replace/start",
				body, "admin", ADMIN_PASSWORD);
		assertThat(again.statusCode()).as("the lock was released: %s", again.body()).isEqualTo(200);
		cancel(this.nodes.get(0), ServiceClient.idOf(again));
	}

	@Test
	void startInputWithShellMetacharactersTraversalOrOversizedValuesIsRefusedOnEveryNode() {
		List<String> builds = List.of("1.0;reboot", "$(id)", "1.0 && curl evil", "../../etc/passwd", "`id`",
				"x".repeat(65), "a".repeat(100_000));
		for (ServiceProcess node : this.nodes) {
			for (String build : builds) {
				String body = "{\"variables\":{\"environment\":{\"value\":\"qa\",\"type\":\"String\"},"
						+ "\"build\":{\"value\":\"" + build.replace("\\", "\\\\") + "\",\"type\":\"String\"}}}";
				HttpResponse<String> answer = post(node, "/engine-rest/process-definition/key/deploy-replace/start",
						body, "admin", ADMIN_PASSWORD);
				assertThat(answer.statusCode()).as("build %s", build.substring(0, Math.min(20, build.length())))
					.isBetween(400, 499);
			}
			HttpResponse<String> environment = post(node, "/engine-rest/process-definition/key/deploy-replace/start",
					"{\"variables\":{\"environment\":{\"value\":\"../qa\",\"type\":\"String\"},"
							+ "\"build\":{\"value\":\"1.0\",\"type\":\"String\"}}}",
					"admin", ADMIN_PASSWORD);
			assertThat(environment.statusCode()).isEqualTo(400);
			assertThat(environment.body()).contains("Unknown environment");
		}
		assertThat(get(this.nodes.get(0),
				"/engine-rest/history/process-instance/count?processDefinitionKey=" + "deploy-replace&startedAfter="
						+ "2000-01-01T00:00:00.000%2B0000"))
			.as("only the two deploys the lock test started (and cancelled)")
			.matches(".*\"count\":[0-2]}.*");
	}

	/**
	 * Who may use what, on both nodes: anonymous, admin, jenkins and a tester against the
	 * REST API, the service's own endpoints and the webapps' logins.
	 */
	@Test
	void eachRoleGetsExactlyTheAccessItShouldOnEveryNode() {
		String[] roles = { "anonymous", "admin", "jenkins", "tina" };
		// method, path, body; then the expected status per role, in the order above
		Object[][] table = { { "GET", "/actuator/health", null, "200", "200", "200", "200" },
				{ "GET", "/engine-rest/process-definition", null, "401", "200", "200", "200" },
				{ "GET", "/engine-rest/task", null, "401", "200", "200", "200" },
				{ "GET", "/api/deployments", null, "401", "200", "200", "200" },
				{ "GET", "/api/backups", null, "401", "200", "200", "200" },
				{ "GET", "/actuator/prometheus", null, "401", "200", "200", "200" },
				{ "POST", "/engine-rest/user/create",
						"{\"profile\":{\"id\":\"mallory\"},\"credentials\":" + "{\"password\":\"mallory-pass-1\"}}",
						"401", "skip", "403", "403" },
				{ "POST", "/engine-rest/process-definition/key/nightly-backup/start", "{}", "401", "409", "403|404",
						"403|404" },
				{ "POST", "/engine-rest/process-definition/key/rollback/start", "{}", "401", "400", "403|404",
						"403|404" },
				{ "POST", "/engine-rest/process-definition/key/release/start", "{}", "401", "400", "400", "403" },
				{ "POST", "/engine-rest/process-definition/key/deploy-replace/start", "{}", "401", "400", "403",
						"403|404" } };
		Map<String, String> passwords = Map.of("admin", ADMIN_PASSWORD, "jenkins", JENKINS_PASSWORD, "tina",
				TESTER_PASSWORD);
		List<String> wrong = new ArrayList<>();
		for (ServiceProcess node : this.nodes) {
			for (Object[] row : table) {
				for (int r = 0; r < roles.length; r++) {
					String expected = (String) row[3 + r];
					if (expected.equals("skip")) {
						continue;
					}
					HttpRequest.Builder request = HttpRequest.newBuilder()
						.uri(URI.create(node.baseUrl() + row[1]))
						.header("Content-Type", "application/json");
					if (!roles[r].equals("anonymous")) {
						request.header("Authorization", basic(roles[r], passwords.get(roles[r])));
					}
					request.method((String) row[0],
							(row[2] != null) ? HttpRequest.BodyPublishers.ofString((String) row[2])
									: HttpRequest.BodyPublishers.noBody());
					int status = send(node, request).statusCode();
					if (!List.of(expected.split("\\|")).contains(Integer.toString(status))) {
						wrong.add(roles[r] + " " + row[0] + " " + row[1] + ": " + status + ", expected " + expected);
					}
				}
			}
			assertThat(node.client().webappLogin("cockpit", "admin", ADMIN_PASSWORD).statusCode()).isEqualTo(200);
			assertThat(node.client().webappLogin("cockpit", "jenkins", JENKINS_PASSWORD).statusCode())
				.isNotEqualTo(200);
			assertThat(node.client().webappLogin("cockpit", "tina", TESTER_PASSWORD).statusCode()).isNotEqualTo(200);
			assertThat(node.client().webappLogin("tasklist", "tina", TESTER_PASSWORD).statusCode()).isEqualTo(200);
		}
		assertThat(wrong).as("answers that differ from the table").isEmpty();
	}

	/**
	 * Safety rule 9 against the running service: who may start which process, with real
	 * start requests. Each accepted start is cancelled at once (the cloud is unreachable
	 * here), so every row meets a free environment and release lock.
	 */
	@Test
	void onlyAReleaseOrAnOperatorsStatedEmergencyDeploysAndNoStartCanForgeAnApproval() throws Exception {
		String[] roles = { "anonymous", "admin", "jenkins", "tina" };
		String release = vars("build", "2026.11.26-1");
		String toQa = vars("environment", "qa", "build", "2026.11.26-2");
		String toProd = vars("environment", "prod", "build", "2026.11.26-3");
		String toProdWithReason = vars("environment", "prod", "build", "2026.11.26-4", "reason",
				"Prod is down, hotfix for INC-123");
		String forged = vars("environment", "prod", "build", "2026.11.26-5", "reason", "an emergency", "approvedBy",
				"tina", "approvedAt", "2026-11-26T01:00:00Z", "releaseId", "made-up");
		// process, body; then the expected status per role, in the order above
		// a start at chosen activities: past the release's first step, with a second UAT
		// task
		String aroundTheFirstStep = release.substring(0, release.length() - 1)
				+ ",\"startInstructions\":[{\"type\":\"startBeforeActivity\",\"activityId\":\"Task_AcceptRelease\"},"
				+ "{\"type\":\"startBeforeActivity\",\"activityId\":\"Task_UatApproval\"}]}";
		String[][] table = { { "release", release, "401", "200", "200", "403" },
				{ "release", aroundTheFirstStep, "401", "200", "403", "403" },
				{ "deploy-replace", toQa, "401", "200", "403", "403|404" },
				{ "deploy-replace", toProd, "401", "400", "403", "403|404" },
				{ "deploy-replace", toProdWithReason, "401", "200", "403", "403|404" },
				{ "deploy-replace", forged, "401", "400", "403", "403|404" },
				{ "rollback", vars("environment", "prod"), "401", "409", "403|404", "403|404" },
				{ "nightly-backup", "{}", "401", "409", "403|404", "403|404" },
				{ "qa-restore", "{}", "401", "400|409", "403|404", "403|404" } };
		Map<String, String> passwords = Map.of("admin", ADMIN_PASSWORD, "jenkins", JENKINS_PASSWORD, "tina",
				TESTER_PASSWORD);
		String deploysBefore = get(this.nodes.get(0), "/api/deployments");
		List<String> wrong = new ArrayList<>();
		for (String[] row : table) {
			for (int r = 0; r < roles.length; r++) {
				ServiceProcess node = this.nodes.get(r % 2);
				HttpRequest.Builder request = HttpRequest.newBuilder()
					.uri(URI.create(node.baseUrl() + "/engine-rest/process-definition/key/" + row[0] + "/start"))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString(row[1]));
				if (!roles[r].equals("anonymous")) {
					request.header("Authorization", basic(roles[r], passwords.get(roles[r])));
				}
				HttpResponse<String> answer = send(node, request);
				if (answer.statusCode() == 200) {
					cancel(node, ServiceClient.idOf(answer));
				}
				if (!List.of(row[2 + r].split("\\|")).contains(Integer.toString(answer.statusCode()))) {
					wrong.add(roles[r] + " starts " + row[0] + " " + row[1] + ": " + answer.statusCode() + " "
							+ answer.body() + ", expected " + row[2 + r]);
				}
			}
		}
		assertThat(wrong).as("answers that differ from the table").isEmpty();
		String deploys = get(this.nodes.get(1), "/api/deployments");
		assertThat(deploys).as("the emergency deploy says it skipped UAT, who started it and why")
			.contains("\"build\":\"2026.11.26-4\"")
			.contains("\"uat\":\"SKIPPED\"")
			.contains("\"reason\":\"Prod is down, hotfix for INC-123\"");
		assertThat(deploys).as("the forged start left no record").doesNotContain("2026.11.26-5");
		assertThat(deploys).as("nobody's approval was written by a start request")
			.doesNotContain("\"approvedBy\":\"tina\"")
			.doesNotContain("made-up");
		assertThat(deploysBefore).doesNotContain("2026.11.26-4");
		assertThat(get(this.nodes.get(0), "/engine-rest/history/process-instance/count?processDefinitionKey="
				+ "deploy-replace&variables=build_eq_2026.11.26-5"))
			.contains("\"count\":0");
	}

	/**
	 * Cancels a run as an operator would: the engine refuses while one of its jobs is
	 * executing (optimistic locking), so try again until it is gone.
	 */
	private void cancel(ServiceProcess node, String id) {
		org.awaitility.Awaitility.await("cancel " + id)
			.atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> {
				int status = send(node,
						HttpRequest.newBuilder()
							.uri(URI.create(node.baseUrl() + "/engine-rest/process-instance/" + id))
							.header("Authorization", basic("admin", ADMIN_PASSWORD))
							.DELETE())
					.statusCode();
				return status == 204 || status == 404;
			});
	}

	/** A start request's body: name, value, name, value, ... as String variables. */
	private static String vars(String... namesAndValues) {
		StringBuilder json = new StringBuilder("{\"variables\":{");
		for (int i = 0; i < namesAndValues.length; i += 2) {
			json.append((i > 0) ? "," : "")
				.append('"')
				.append(namesAndValues[i])
				.append("\":{\"value\":\"")
				.append(namesAndValues[i + 1])
				.append("\",\"type\":\"String\"}");
		}
		return json.append("}}").toString();
	}

	private void deployNoopChain() throws Exception {
		this.nodes.get(0).deploy(Path.of("src/test/resources/cluster-test/noop-chain.bpmn"), "admin", ADMIN_PASSWORD);
	}

	private HttpResponse<String> post(ServiceProcess node, String path, String json, String user, String password) {
		return send(node,
				HttpRequest.newBuilder()
					.uri(URI.create(node.baseUrl() + path))
					.header("Authorization", basic(user, password))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString(json)));
	}

	private String get(ServiceProcess node, String path) {
		HttpResponse<String> answer = send(node,
				HttpRequest.newBuilder()
					.uri(URI.create(node.baseUrl() + path))
					.header("Authorization", basic("admin", ADMIN_PASSWORD))
					.GET());
		assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(200);
		return answer.body();
	}

	private HttpResponse<String> send(ServiceProcess node, HttpRequest.Builder request) {
		try {
			return this.http.send(request.timeout(Duration.ofSeconds(30)).build(),
					HttpResponse.BodyHandlers.ofString());
		}
		catch (Exception ex) {
			throw new IllegalStateException("Request to " + node.baseUrl() + " failed", ex);
		}
	}

	private static String basic(String user, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * After everything above: no configured secret in either node's log, ACT_ or argv.
	 */
	@Test
	@Order(Integer.MAX_VALUE)
	void noConfiguredSecretInAnyNodesLogTheEnginesTablesOrAnyArgv() throws Exception {
		for (Path log : this.logs) {
			String text = Files.readString(log);
			this.secrets.forEach((name, value) -> assertThat(text).as("%s in %s", name, log).doesNotContain(value));
		}
		try (java.sql.Connection connection = java.sql.DriverManager.getConnection(this.database.jdbcUrl(),
				this.database.user(), this.database.password())) {
			assertThat(SecretScan.engineTables(connection, this.secrets.values())).isEmpty();
		}
		assertThat(this.argv.leaks()).isEmpty();
		assertThat(this.argv.seen()).as("the watch saw the processes").isNotEmpty();
	}

}
