package au.edu.unimelb.reporting.ops.support;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * The whole system on loopback, for a person to try: what {@code scripts/sandbox up}
 * runs, in a JVM of its own that lives until {@code scripts/sandbox down} stops it
 * (SIGTERM), then stops everything it started.
 *
 * <p>
 * It is the tests' own set-up, not a copy: {@link LoopbackBackupEnvironment} (a Prod
 * database seeded with a small sample, an older QA database, a GnuPG key in a GnuPG home
 * of its own, the QA app server's sshd and migrations) and
 * {@link LoopbackDeployEnvironment} in its sandbox
 * {@link LoopbackDeployEnvironment.Layout layout} (the test bed's real Keystone + Heat,
 * nginx web fronts for QA and Prod switched over sshd, a pool of app servers per
 * environment that serve whatever build Heat's stack asks for, and the service itself on
 * its own PostgreSQL database), backed up to the test bed's Swift.
 *
 * <p>
 * Arguments: the sandbox folder. It reads the logins from {@code passwords} there
 * ({@code admin}, {@code jenkins}, {@code tom}, {@code tess}: written by the script, mode
 * 0600), writes {@code state.properties} (what it started, for the script's
 * {@code status} and {@code down}) and, last, {@code ready}. Environment:
 * {@code SANDBOX_NAME} (stack prefixes, Swift containers, the web front's nftables table;
 * default {@code sandbox}; the databases' names come from {@code OPS_TEST_DB_PREFIX}),
 * {@code SANDBOX_PORT} (the service; QA's web front on +100, Prod's on +200; default
 * 8080), and the test bed's {@code OPS_TESTBED_ENV} and PostgreSQL's
 * {@code OPS_TEST_PG_*} as for the tests.
 */
public final class Sandbox {

	static final List<String> USERS = List.of("admin", "jenkins", "tom", "tess");

	private final Path dir;

	private final String name;

	private final int port;

	/**
	 * This run's backups' Swift containers start with it: a set another run left (its
	 * down cut short) is encrypted to another key, which this run's duplicity could not
	 * read.
	 */
	private final String backups = "-" + java.util.UUID.randomUUID().toString().substring(0, 6) + "-backups";

	private LoopbackBackupEnvironment backup;

	private LoopbackDeployEnvironment deploy;

	private Sandbox(Path dir, String name, int port) {
		this.dir = dir;
		this.name = name;
		this.port = port;
	}

	public static void main(String[] args) throws Exception {
		if (args.length != 1) {
			System.err.println("usage: Sandbox DIR");
			System.exit(2);
		}
		String name = System.getenv().getOrDefault("SANDBOX_NAME", "sandbox");
		if (!name.matches("[a-z][a-z0-9]{0,15}")) {
			System.err.println("SANDBOX_NAME must be a lower-case letter and up to 15 letters or digits: " + name);
			System.exit(2);
		}
		int port = Integer.parseInt(System.getenv().getOrDefault("SANDBOX_PORT", "8080"));
		Sandbox sandbox = new Sandbox(Path.of(args[0]).toAbsolutePath(), name, port);
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			sandbox.stop();
			stopped.countDown();
		}, "sandbox-down"));
		try {
			sandbox.start();
		}
		catch (Exception | Error ex) {
			ex.printStackTrace();
			System.err.println("sandbox: could not start: " + ex);
			System.exit(1);
		}
		System.out.println("sandbox: ready");
		stopped.await();
	}

	private void start() throws Exception {
		Properties passwords = new Properties();
		try (Reader reader = Files.newBufferedReader(this.dir.resolve("passwords"))) {
			passwords.load(reader);
		}
		for (String user : USERS) {
			if (passwords.getProperty(user, "").isBlank()) {
				throw new IllegalStateException(this.dir.resolve("passwords") + " has no password for " + user);
			}
		}
		this.backup = LoopbackBackupEnvironment.create(this.dir.resolve("backup"));
		Map<String, String> settings = new LinkedHashMap<>();
		// the backup's settings, and the environments' databases: the rest of each
		// environment is the deploy set-up's
		this.backup.settings("swift://" + this.name + this.backups, TestBed.load()).forEach((key, value) -> {
			if (!key.startsWith("ops.environments.") || key.contains(".database.")) {
				settings.put(key, value);
			}
		});
		// the tests' short job lock; the sandbox keeps the default
		settings.remove("camunda.bpm.job-execution.lock-time-in-millis");
		settings.put("ops.security.admin-password", passwords.getProperty("admin"));
		settings.put("ops.security.jenkins-password", passwords.getProperty("jenkins"));
		tester(settings, 0, "tom", "Tom", "Tester", passwords);
		tester(settings, 1, "tess", "Tess", "Tester", passwords);
		settings.put("ops.deploy.poll-initial", "500ms");
		settings.put("ops.deploy.poll-max", "2s");
		this.deploy = LoopbackDeployEnvironment.start(this.dir.resolve("deploy"),
				LoopbackDeployEnvironment.Layout.sandbox(this.name, this.port), settings);
		// stacks a sandbox killed before its end left behind
		this.deploy.deleteStacks();
		writeState();
	}

	private static void tester(Map<String, String> settings, int index, String id, String first, String last,
			Properties passwords) {
		String tester = "ops.security.testers[" + index + "].";
		settings.put(tester + "id", id);
		settings.put(tester + "password", passwords.getProperty(id));
		settings.put(tester + "first-name", first);
		settings.put(tester + "last-name", last);
	}

	private void writeState() throws IOException {
		Properties state = new Properties();
		state.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
		state.setProperty("name", this.name);
		state.setProperty("service", this.deploy.service.baseUrl());
		state.setProperty("qa", this.deploy.front.publicUrl("qa"));
		state.setProperty("prod", this.deploy.front.publicUrl("prod"));
		state.setProperty("nft-table", this.deploy.front.table());
		state.setProperty("databases",
				String.join(" ", this.deploy.database.name(), this.backup.prod().name(), this.backup.qa().name()));
		state.setProperty("prod-database", this.backup.prod().name());
		state.setProperty("qa-database", this.backup.qa().name());
		state.setProperty("swift-containers", String.join(" ", containers()));
		Path file = this.dir.resolve("state.properties");
		Path temp = this.dir.resolve("state.properties.new");
		try (var writer = Files.newBufferedWriter(temp)) {
			state.store(writer, "what the sandbox started (scripts/sandbox status, down)");
		}
		Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
	}

	private List<String> containers() {
		List<String> containers = new ArrayList<>();
		for (String tier : List.of("daily", "weekly", "monthly")) {
			containers.add(this.name + this.backups + "-" + tier);
		}
		return containers;
	}

	/**
	 * Stops everything it started, each part even when another fails: the service (after
	 * deleting its stacks), the web fronts, sshds and app servers, the databases, and the
	 * backups in Swift.
	 */
	private void stop() {
		System.out.println("sandbox: stopping");
		List<AutoCloseable> steps = new ArrayList<>();
		if (this.deploy != null) {
			steps.add(this.deploy);
		}
		if (this.backup != null) {
			steps.add(this.backup);
			steps.add(this::deleteBackups);
			steps.add(this::stopGpgAgent);
		}
		boolean clean = true;
		for (AutoCloseable step : steps) {
			try {
				step.close();
			}
			catch (Exception ex) {
				clean = false;
				System.err.println("sandbox: " + step + " did not stop cleanly: " + ex);
			}
		}
		// scripts/sandbox down reads this line: anything else, and it sweeps Heat and
		// Swift for what this run's name left
		System.out.println(clean ? "sandbox: stopped" : "sandbox: stopped, with errors");
	}

	/**
	 * Deletes this run's containers that exist (a tier no night uploaded to has none); a
	 * failure is not swallowed, so that the script sweeps Swift after a stop with errors.
	 */
	private void deleteBackups() throws Exception {
		TestBed bed = TestBed.load();
		Map<String, String> swift = Map.of("PATH", "/usr/bin:/bin", "ST_AUTH", bed.get("SWIFT_AUTHURL"), "ST_USER",
				bed.get("SWIFT_USERNAME"), "ST_KEY", bed.get("SWIFT_PASSWORD"));
		List<String> existing = LoopbackBackupEnvironment.run(swift, "/usr/bin/swift", "--retries", "1", "list")
			.lines()
			.toList();
		for (String container : containers()) {
			if (existing.contains(container)) {
				LoopbackBackupEnvironment.run(swift, "/usr/bin/swift", "--retries", "1", "delete", container);
			}
		}
	}

	/** The gpg-agent that gpg started for the sandbox's GnuPG home. */
	private void stopGpgAgent() throws Exception {
		LoopbackBackupEnvironment.run(Map.of(), "gpgconf", "--homedir", this.backup.gnupgHome().toString(), "--kill",
				"gpg-agent");
	}

}
