package au.edu.unimelb.reporting.ops.sandbox;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import au.edu.unimelb.reporting.ops.support.LoopbackBackupEnvironment;
import au.edu.unimelb.reporting.ops.support.Proc;
import au.edu.unimelb.reporting.ops.support.ScriptRun;
import au.edu.unimelb.reporting.ops.support.ServiceClient;
import au.edu.unimelb.reporting.ops.support.TestBed;
import au.edu.unimelb.reporting.ops.support.TestPostgres;
import au.edu.unimelb.reporting.ops.support.ThreadDumpOnTimeout;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's sandbox, as a newcomer runs it: {@code scripts/sandbox up}; a release
 * through {@code scripts/sandbox release} that a tester approves over REST, after which
 * QA and then Prod serve the build through their web fronts; a nightly backup to Swift
 * and its QA restore; {@code scripts/sandbox down}, after which no process of the sandbox
 * is left and no port it listened on is still bound, its databases and backups are gone.
 * It shares the machine's test bed (already running: {@code down} leaves it running) and
 * uses the build Maven just made ({@code SANDBOX_BUILD=never}); its own folder, ports and
 * name keep it apart from the other tests and from a sandbox a person may have up.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
@ExtendWith(ThreadDumpOnTimeout.class)
class SandboxIT {

	static final String BUILD = "2026.11.26-7";

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private Map<String, String> environment;

	private boolean up;

	@AfterEach
	void downEvenWhenTheTestFailed() throws Exception {
		if (this.up) {
			sandbox("down").awaitExit(Duration.ofMinutes(3));
		}
	}

	@Test
	void upReleaseApprovedByATesterBackupAndDownLeavesNothing(@TempDir Path tmp) throws Exception {
		Path dir = tmp.resolve("sandbox");
		int port = freePortBase();
		String name = "sb" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
		this.environment = Map.of("SANDBOX_DIR", dir.toString(), "SANDBOX_PORT", Integer.toString(port), "SANDBOX_NAME",
				name, "SANDBOX_BUILD", "never");

		long started = System.nanoTime();
		this.up = true;
		ScriptRun up = sandbox("up");
		assertThat(up.awaitExit(Duration.ofMinutes(4))).as(up.output()).isZero();
		System.out.printf("sandbox up (test bed already running, build made): %.1f s%n",
				(System.nanoTime() - started) / 1e9);
		assertThat(up.output()).contains("The sandbox is up")
			.contains("http://127.0.0.1:" + port + "/camunda/app/tasklist/")
			.contains("http://127.0.0.1:" + (port + 100) + "/")
			.contains("http://127.0.0.1:" + (port + 200) + "/")
			.contains("Logins (printed this once");
		Path passwordsFile = dir.resolve("passwords");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordsFile)))
			.as("the logins are for root only")
			.isEqualTo("rw-------");
		Properties passwords = properties(passwordsFile);
		Properties state = properties(dir.resolve("state.properties"));
		refusesBadSettingsAndChangesNothing(tmp, name, port);
		ServiceClient client = new ServiceClient(state.getProperty("service"));

		try (ScriptRun jenkins = sandbox("release", BUILD, "tess")) {
			jenkins.awaitLine("waiting for UAT approval", Duration.ofMinutes(3));
			assertThat(health(state.getProperty("qa"))).as("QA serves the build before UAT").contains(BUILD);
			assertThat(health(state.getProperty("prod"))).as("Prod does not, yet").doesNotContain(BUILD);
			approveAs(client, "tom", passwords.getProperty("tom"));
			assertThat(jenkins.awaitExit(Duration.ofMinutes(3))).as(jenkins.output()).isZero();
			assertThat(jenkins.output()).contains("Approved by tom: Checked on QA")
				.contains("released: build " + BUILD + " serves on Prod");
		}
		assertThat(health(state.getProperty("qa"))).contains(BUILD);
		assertThat(health(state.getProperty("prod"))).contains(BUILD);

		String admin = passwords.getProperty("admin");
		String backup = ServiceClient
			.idOf(client.postJson("/engine-rest/process-definition/key/nightly-backup/start", "{}", "admin", admin));
		Awaitility.await("the QA restore after backup " + backup)
			.atMost(Duration.ofMinutes(3))
			.pollInterval(Duration.ofSeconds(1))
			.until(() -> client
				.get("/engine-rest/history/process-instance?processDefinitionKey=qa-restore&finished=true"
						+ "&variables=backupRun_eq_" + backup, "admin", admin)
				.body(), (body) -> body.contains("\"state\":\"COMPLETED\""));
		String runs = client.get("/api/backups", "admin", admin).body();
		assertThat(runs).contains("\"id\":\"" + backup + "\"").contains("\"outcome\":\"BACKED_UP\"");
		String daily = state.getProperty("swift-containers").split(" ")[0];
		assertThat(swift("list", daily)).as("the set in Swift").contains(".manifest.gpg");
		assertThat(LoopbackBackupEnvironment.rowCounts(state.getProperty("qa-database")))
			.as("QA restored from Prod's backup")
			.isEqualTo(LoopbackBackupEnvironment.rowCounts(state.getProperty("prod-database")));

		Set<Long> processes = sandboxProcesses(dir);
		Set<String> listening = listeningSockets(processes);
		assertThat(listening).as("what the sandbox listens on")
			.contains("127.0.0.1:" + port, "127.0.0.1:" + (port + 100), "127.0.0.1:" + (port + 200));

		ScriptRun down = sandbox("down");
		assertThat(down.awaitExit(Duration.ofMinutes(3))).as(down.output()).isZero();
		this.up = false;
		assertThat(processes).as("processes of the sandbox still running")
			.filteredOn((pid) -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
			.isEmpty();
		assertThat(sandboxProcesses(dir)).as("processes naming the sandbox's folder").isEmpty();
		Set<String> stillBound = new LinkedHashSet<>(allListeningSockets());
		stillBound.retainAll(listening);
		assertThat(stillBound).as("ports the sandbox used, still bound").isEmpty();
		assertNothingLeft(name, state);

		// a crash: the sandbox's JVM killed mid-release (its stacks, databases, nginx and
		// sshds left behind); down finds them by the sandbox's name
		ScriptRun again = sandbox("up");
		this.up = true;
		assertThat(again.awaitExit(Duration.ofMinutes(4))).as(again.output()).isZero();
		assertThat(again.output()).as("the logins were printed once, by the first up")
			.doesNotContain("Logins (printed");
		Properties crashed = properties(dir.resolve("state.properties"));
		try (ScriptRun jenkins = sandbox("release", BUILD + "-crash")) {
			jenkins.awaitLine("[qa] stack " + name + "_qa_", Duration.ofMinutes(2));
			Set<Long> before = sandboxProcesses(dir);
			long jvm = Long.parseLong(crashed.getProperty("pid"));
			ProcessHandle.of(jvm).ifPresent(ProcessHandle::destroyForcibly);
			Awaitility.await("the sandbox's JVM gone")
				.atMost(Duration.ofSeconds(30))
				.until(() -> ProcessHandle.of(jvm).isEmpty());
			// release.sh would wait an hour for the service to come back: it ends with
			// the block
			assertThat(sandboxProcesses(dir)).as("what the JVM left running (nginx, sshd)").isNotEmpty();
			assertThat(stacks(name)).as("the QA stack it was creating").isNotEmpty();
			ScriptRun crashDown = sandbox("down");
			assertThat(crashDown.awaitExit(Duration.ofMinutes(3))).as(crashDown.output()).isZero();
			this.up = false;
			assertThat(before).filteredOn((pid) -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
				.isEmpty();
		}
		assertNothingLeft(name, crashed);
	}

	/**
	 * Bad settings, and a second sandbox of the same name or inside this one's folder:
	 * exit 2, and no folder made.
	 */
	private void refusesBadSettingsAndChangesNothing(Path tmp, String name, int port) throws Exception {
		Map<String, Map<String, String>> refused = Map.of("a port out of range", Map.of("SANDBOX_DIR",
				tmp.resolve("bad-port").toString(), "SANDBOX_PORT", "-5", "SANDBOX_NAME", name + "b"),
				"a name the tests use",
				Map.of("SANDBOX_DIR", tmp.resolve("bad-name").toString(), "SANDBOX_NAME", "it0a1b2c", "SANDBOX_PORT",
						Integer.toString(port + 10)),
				"the name of the sandbox that is up",
				Map.of("SANDBOX_DIR", tmp.resolve("same-name").toString(), "SANDBOX_NAME", name, "SANDBOX_PORT",
						Integer.toString(port + 10)),
				"a folder inside the sandbox's", Map.of("SANDBOX_DIR", tmp.resolve("sandbox/deploy/inner").toString(),
						"SANDBOX_NAME", name + "c", "SANDBOX_PORT", Integer.toString(port + 10)));
		for (Map.Entry<String, Map<String, String>> bad : refused.entrySet()) {
			Map<String, String> environment = new HashMap<>(this.environment);
			environment.putAll(bad.getValue());
			ScriptRun up = ScriptRun.start(List.of("scripts/sandbox", "up"), environment);
			assertThat(up.awaitExit(Duration.ofMinutes(1))).as(bad.getKey() + ": " + up.output()).isEqualTo(2);
			assertThat(Path.of(bad.getValue().get("SANDBOX_DIR"))).as(bad.getKey()).doesNotExist();
		}
	}

	/**
	 * No process, database, nftables table, Heat stack or Swift container of the sandbox.
	 */
	private static void assertNothingLeft(String name, Properties state) throws Exception {
		for (String database : state.getProperty("databases").split(" ")) {
			assertThat(TestPostgres.exists(database)).as("database " + database).isFalse();
		}
		assertThat(TestPostgres.databasesStartingWith("sandbox_" + name + "_")).as("the sandbox's databases").isEmpty();
		assertThat(LoopbackBackupEnvironment.run(Map.of(), "nft", "list", "tables")).as("nftables tables")
			.doesNotContain("rsw_sb_" + name);
		assertThat(swift("list")).as("the sandbox's backups in Swift").doesNotContain(name + "-");
		Awaitility.await("the sandbox's stacks deleted")
			.atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofSeconds(2))
			.untilAsserted(() -> assertThat(stacks(name)).isEmpty());
	}

	/** The names of the sandbox's stacks in Heat that are not deleted yet. */
	private static List<String> stacks(String name) throws Exception {
		TestBed bed = TestBed.load();
		Map<String, String> environment = new HashMap<>();
		for (String key : List.of("OS_AUTH_URL", "OS_USERNAME", "OS_PASSWORD", "OS_PROJECT_NAME", "OS_USER_DOMAIN_NAME",
				"OS_PROJECT_DOMAIN_NAME", "OS_REGION_NAME", "OS_IDENTITY_API_VERSION", "OS_INTERFACE")) {
			environment.put(key, bed.get(key));
		}
		environment.put("PATH", "/usr/bin:/bin");
		return LoopbackBackupEnvironment
			.run(environment, "/usr/bin/openstack", "stack", "list", "-f", "value", "-c", "Stack Name", "-c",
					"Stack Status")
			.lines()
			.filter((line) -> line.startsWith(name + "_") && !line.contains("DELETE_COMPLETE"))
			.toList();
	}

	/** Claims the release's UAT task and approves it, as Tasklist's form does. */
	private static void approveAs(ServiceClient client, String tester, String password) {
		String tasks = client.get("/engine-rest/task?taskDefinitionKey=Task_UatApproval", tester, password).body();
		Matcher id = Pattern.compile("\"id\":\"([0-9a-f-]+)\"").matcher(tasks);
		assertThat(id.find()).as(tester + " sees the UAT task: " + tasks).isTrue();
		String task = "/engine-rest/task/" + id.group(1);
		assertThat(client.postJson(task + "/claim", "{\"userId\":\"" + tester + "\"}", tester, password).statusCode())
			.isEqualTo(204);
		HttpResponse<String> completed = client.postJson(task + "/complete",
				"{\"variables\":{\"uatDecision\":{\"value\":\"approve\",\"type\":\"String\"},"
						+ "\"uatComment\":{\"value\":\"Checked on QA\",\"type\":\"String\"}}}",
				tester, password);
		assertThat(completed.statusCode()).as(completed.body()).isEqualTo(204);
	}

	private ScriptRun sandbox(String... arguments) {
		List<String> argv = new ArrayList<>(List.of("scripts/sandbox"));
		argv.addAll(List.of(arguments));
		return ScriptRun.start(argv, this.environment);
	}

	private static String health(String frontUrl) throws Exception {
		return HTTP
			.send(HttpRequest.newBuilder(URI.create(frontUrl + "/health")).timeout(Duration.ofSeconds(5)).build(),
					HttpResponse.BodyHandlers.ofString())
			.body();
	}

	private static Properties properties(Path file) throws IOException {
		Properties properties = new Properties();
		try (Reader reader = Files.newBufferedReader(file)) {
			properties.load(reader);
		}
		return properties;
	}

	/**
	 * A port below the ephemeral range (where the other tests' free ports come from) that
	 * is free, with +100 and +200.
	 */
	private static int freePortBase() throws IOException {
		for (int attempt = 0; attempt < 50; attempt++) {
			int port = ThreadLocalRandom.current().nextInt(20000, 29000);
			if (free(port) && free(port + 100) && free(port + 200)) {
				return port;
			}
		}
		throw new IllegalStateException("no free port base between 20000 and 29200");
	}

	private static boolean free(int port) {
		try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
			return true;
		}
		catch (IOException taken) {
			return false;
		}
	}

	/**
	 * The processes whose command line names the sandbox's folder, and their descendants.
	 */
	private static Set<Long> sandboxProcesses(Path dir) {
		Set<Long> pids = new LinkedHashSet<>();
		for (long pid : Proc.pids()) {
			if (String.join(" ", Proc.argv(pid)).contains(dir + "/")) {
				pids.add(pid);
				ProcessHandle.of(pid).ifPresent((process) -> process.descendants().forEach((d) -> pids.add(d.pid())));
			}
		}
		return pids;
	}

	/** {@code address:port} of every TCP socket the given processes listen on. */
	private static Set<String> listeningSockets(Set<Long> pids) throws Exception {
		Set<String> sockets = new LinkedHashSet<>();
		Pattern pid = Pattern.compile("pid=(\\d+)");
		for (String line : ss("-ltnpH")) {
			Matcher owner = pid.matcher(line);
			while (owner.find()) {
				if (pids.contains(Long.parseLong(owner.group(1)))) {
					sockets.add(local(line));
				}
			}
		}
		return sockets;
	}

	private static Set<String> allListeningSockets() throws Exception {
		Set<String> sockets = new LinkedHashSet<>();
		for (String line : ss("-ltnH")) {
			sockets.add(local(line));
		}
		return sockets;
	}

	/**
	 * A line's local address, as {@code 127.0.0.1:8080} (Java's sockets show as
	 * IPv4-mapped IPv6).
	 */
	private static String local(String ssLine) {
		return ssLine.trim().split("\\s+")[3].replace("[::ffff:", "").replace("]:", ":");
	}

	private static List<String> ss(String options) throws Exception {
		return LoopbackBackupEnvironment.run(Map.of(), "ss", options).lines().toList();
	}

	private static String swift(String... arguments) throws Exception {
		TestBed bed = TestBed.load();
		List<String> argv = new ArrayList<>(List.of("/usr/bin/swift"));
		argv.addAll(List.of(arguments));
		Map<String, String> environment = new HashMap<>(Map.of("ST_AUTH", bed.get("SWIFT_AUTHURL"), "ST_USER",
				bed.get("SWIFT_USERNAME"), "ST_KEY", bed.get("SWIFT_PASSWORD")));
		return LoopbackBackupEnvironment.run(environment, argv.toArray(String[]::new));
	}

}
