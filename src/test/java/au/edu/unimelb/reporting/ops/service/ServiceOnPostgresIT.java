package au.edu.unimelb.reporting.ops.service;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import au.edu.unimelb.reporting.ops.support.RunningService;
import au.edu.unimelb.reporting.ops.support.SecretScan;
import au.edu.unimelb.reporting.ops.support.ServiceClient;
import au.edu.unimelb.reporting.ops.support.TestPostgres;
import au.edu.unimelb.reporting.ops.support.ThreadDumpOnTimeout;
import org.awaitility.Awaitility;
import org.camunda.bpm.engine.ProcessEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole service on the real PostgreSQL, in a fresh database: models deployed, REST
 * closed by default, each kind of user limited to its job, the webapps served, no default
 * users, no secret stored. The last test restarts it on the same database with changed
 * passwords.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
@ExtendWith(ThreadDumpOnTimeout.class)
class ServiceOnPostgresIT {

	static final String JENKINS_PASSWORD = "jenkins-it-password-1";

	static final String TESTER_PASSWORD = "tester-it-password-1";

	@TempDir
	static Path dataDir;

	static TestPostgres database;

	static RunningService service;

	static ServiceClient client;

	static String adminPassword;

	@BeforeAll
	static void start() throws Exception {
		database = TestPostgres.createDatabase("it");
		service = RunningService.start(settings(TESTER_PASSWORD));
		client = service.client();
		adminPassword = Files.readString(dataDir.resolve("initial-admin-password")).trim();
	}

	@AfterAll
	static void stop() {
		if (service != null) {
			service.close();
		}
		if (database != null) {
			database.drop();
		}
	}

	static Map<String, String> settings(String testerPassword) {
		Map<String, String> settings = new HashMap<>();
		settings.put("spring.datasource.url", database.jdbcUrl());
		settings.put("spring.datasource.username", database.user());
		settings.put("spring.datasource.password", database.password());
		settings.put("ops.data-dir", dataDir.toString());
		settings.put("ops.security.jenkins-password", JENKINS_PASSWORD);
		settings.put("ops.security.testers[0].id", "tess");
		settings.put("ops.security.testers[0].password", testerPassword);
		settings.put("ops.security.testers[0].first-name", "Tess");
		return settings;
	}

	@Test
	@Order(1)
	void runsOnPostgresAndDeploysEveryModel() throws Exception {
		ProcessEngine engine = service.bean(ProcessEngine.class);
		assertThat(engine.getProcessEngineConfiguration().getDatabaseType()).isEqualTo("postgres");
		List<String> deployed = engine.getRepositoryService()
			.createProcessDefinitionQuery()
			.latestVersion()
			.list()
			.stream()
			.map((definition) -> definition.getKey())
			.toList();
		assertThat(deployed).contains("smoke-test").containsAll(modelKeysUnder(Path.of("processes")));
	}

	@Test
	@Order(2)
	void generatesTheFirstAdminPasswordIntoAPrivateFile() throws Exception {
		Path file = dataDir.resolve("initial-admin-password");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
		assertThat(adminPassword).hasSizeGreaterThanOrEqualTo(20);
		assertThat(client.get("/engine-rest/process-definition", "admin", adminPassword).statusCode()).isEqualTo(200);
	}

	@Test
	@Order(3)
	void closesTheRestApiToAnonymousCallers() {
		assertThat(client.get("/engine-rest/process-definition").statusCode()).isEqualTo(401);
		assertThat(client.get("/engine-rest/task").statusCode()).isEqualTo(401);
		assertThat(client.get("/engine-rest/user").statusCode()).isEqualTo(401);
	}

	@Test
	@Order(4)
	void letsJenkinsDoNothingButItsJob() {
		assertThat(client.get("/engine-rest/process-definition", "jenkins", JENKINS_PASSWORD).statusCode())
			.isEqualTo(200);
		assertThat(client
			.postJson("/engine-rest/user/create",
					"{\"profile\":{\"id\":\"mallory\"},\"credentials\":{\"password\":\"mallory-pass-1\"}}", "jenkins",
					JENKINS_PASSWORD)
			.statusCode()).isEqualTo(403);
		assertThat(client.get("/engine-rest/user", "jenkins", JENKINS_PASSWORD).body()).as("sees only itself")
			.contains("\"jenkins\"")
			.doesNotContain("admin")
			.doesNotContain("tess");
		int start = client
			.postJson("/engine-rest/process-definition/key/smoke-test/start", "{}", "jenkins", JENKINS_PASSWORD)
			.statusCode();
		assertThat(start).as("jenkins may start only release").isIn(403, 404);
		assertThat(client
			.postJson("/engine-rest/process-definition/key/deploy-replace/start", vars("qa", "1.0"), "jenkins",
					JENKINS_PASSWORD)
			.statusCode()).as("nor deploy-replace: Prod changes through a release").isEqualTo(403);
		assertThat(service.bean(ProcessEngine.class).getRuntimeService().createProcessInstanceQuery().count()).isZero();
	}

	@Test
	@Order(5)
	void servesCockpitAndTasklistToThePeopleWhoUseThem() {
		assertThat(client.get("/camunda/app/cockpit/default/").body()).contains("Cockpit");
		assertThat(client.get("/camunda/app/tasklist/default/").body()).contains("Tasklist");
		assertThat(service.client().webappLogin("cockpit", "admin", adminPassword).statusCode()).isEqualTo(200);
		assertThat(service.client().webappLogin("tasklist", "tess", TESTER_PASSWORD).statusCode()).isEqualTo(200);
		assertThat(service.client().webappLogin("cockpit", "tess", TESTER_PASSWORD).statusCode())
			.as("testers use Tasklist only")
			.isNotEqualTo(200);
		assertThat(service.client().webappLogin("tasklist", "jenkins", JENKINS_PASSWORD).statusCode())
			.as("jenkins uses REST only")
			.isNotEqualTo(200);
	}

	@Test
	@Order(9)
	void refusesBadDeployRequestsWithAClear4xxAndStartsNothing() {
		String[][] cases = { { "{}", "The variable 'environment' is missing" },
				{ vars("staging", "1.0"), "Unknown environment 'staging'" },
				{ vars("qa", "1.0; rm -rf /"), "is not a build reference" },
				{ vars("qa", "$(reboot)"), "is not a build reference" },
				{ "{\"variables\":{\"environment\":{\"value\":\"qa\"}}}", "The variable 'build' is missing" },
				{ vars("prod", "1.0"), "The environment prod is not configured" } };
		for (String[] bad : cases) {
			var response = client.postJson("/engine-rest/process-definition/key/deploy-replace/start", bad[0], "admin",
					adminPassword);
			assertThat(response.statusCode()).as(bad[0]).isEqualTo(400);
			assertThat(response.body()).as(bad[0]).contains(bad[1]);
		}
		assertThat(service.bean(ProcessEngine.class)
			.getRuntimeService()
			.createProcessInstanceQuery()
			.processDefinitionKey("deploy-replace")
			.count()).isZero();
		assertThat(client.get("/api/deployments").statusCode()).isEqualTo(401);
		assertThat(client.get("/api/deployments", "jenkins", JENKINS_PASSWORD).body()).isEqualTo("[]");
		assertThat(client.get("/api/deployments?environment=staging", "jenkins", JENKINS_PASSWORD).statusCode())
			.isEqualTo(400);
	}

	private static String vars(String environment, String build) {
		return "{\"variables\":{\"environment\":{\"value\":\"" + environment + "\"},\"build\":{\"value\":\"" + build
				+ "\"}}}";
	}

	@Test
	@Order(19)
	void hasNoDemoUserNorDefaultPassword() {
		// Last before the restart: a wrong password delays that user's next login for a
		// few seconds.
		ProcessEngine engine = service.bean(ProcessEngine.class);
		assertThat(engine.getIdentityService().createUserQuery().userId("demo").count()).isZero();
		assertThat(engine.getIdentityService().createUserQuery().list()).extracting("id")
			.containsExactlyInAnyOrder("admin", "jenkins", "tess");
		assertThat(client.get("/engine-rest/process-definition", "demo", "demo").statusCode()).isEqualTo(401);
		assertThat(client.get("/engine-rest/process-definition", "admin", "admin").statusCode()).isEqualTo(401);
	}

	@Test
	@Order(7)
	void guardsMetricsButNotHealth() {
		assertThat(client.get("/actuator/health").statusCode()).isEqualTo(200);
		assertThat(client.get("/actuator/health").body()).contains("\"UP\"");
		assertThat(client.get("/actuator/prometheus").statusCode()).isEqualTo(401);
		assertThat(client.get("/actuator/prometheus", "admin", adminPassword).body()).contains("jvm_memory_used_bytes");
	}

	@Test
	@Order(8)
	void neverStoresAConfiguredSecret() throws Exception {
		int status = client
			.postJson("/engine-rest/process-definition/key/smoke-test/start",
					"{\"variables\":{\"message\":{\"value\":\"" + TESTER_PASSWORD + "\",\"type\":\"String\"}}}",
					"admin", adminPassword)
			.statusCode();
		assertThat(status).isBetween(400, 599);
		int started = client
			.postJson("/engine-rest/process-definition/key/smoke-test/start",
					"{\"variables\":{\"message\":{\"value\":\"build-7\",\"type\":\"String\"}}}", "admin", adminPassword)
			.statusCode();
		assertThat(started).isEqualTo(200);
		try (Connection connection = database.connect()) {
			assertThat(SecretScan.engineTables(connection, List.of(TESTER_PASSWORD, JENKINS_PASSWORD, adminPassword)))
				.isEmpty();
			assertThat(SecretScan.engineTables(connection, List.of("build-7"))).as("the scan does find values")
				.isNotEmpty();
		}
	}

	@Test
	@Order(20)
	void appliesAChangedPasswordOnTheNextStartAndStaysIdempotent() {
		ProcessEngine engine = service.bean(ProcessEngine.class);
		long authorizations = engine.getAuthorizationService().createAuthorizationQuery().count();
		long filters = engine.getFilterService().createFilterQuery().count();
		service.close();

		service = RunningService.start(settings("tester-it-password-2"));
		client = service.client();
		engine = service.bean(ProcessEngine.class);

		assertThat(client.get("/engine-rest/task", "tess", "tester-it-password-2").statusCode()).isEqualTo(200);
		assertThat(client.get("/engine-rest/task", "tess", TESTER_PASSWORD).statusCode()).isEqualTo(401);
		// The previous test tried admin/admin, which delays admin's next login by a few
		// seconds.
		Awaitility.await("the generated admin password accepted")
			.atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofSeconds(1))
			.untilAsserted(
					() -> assertThat(client.get("/engine-rest/process-definition", "admin", adminPassword).statusCode())
						.as("the generated admin password is kept")
						.isEqualTo(200));
		assertThat(engine.getAuthorizationService().createAuthorizationQuery().count()).isEqualTo(authorizations);
		assertThat(engine.getFilterService().createFilterQuery().count()).isEqualTo(filters);
	}

	private static List<String> modelKeysUnder(Path folder) throws Exception {
		if (!Files.isDirectory(folder)) {
			return List.of();
		}
		try (Stream<Path> files = Files.list(folder)) {
			return files.map((file) -> file.getFileName().toString())
				.filter((name) -> name.endsWith(".bpmn"))
				.map((name) -> name.substring(0, name.length() - ".bpmn".length()))
				.toList();
		}
	}

}
