package au.edu.unimelb.reporting.ops.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import au.edu.unimelb.reporting.ops.heat.HeatStacks;

/**
 * Everything a deploy of the {@code qa} environment needs, on loopback: the real Keystone
 * + Heat of the test bed (stacks from the production template, through
 * {@link TestHeatDirectory}), stand-in app servers on 127.0.0.11 ("blue") and 127.0.0.12
 * ("green"), a real nginx web front switched over a real sshd, and the service itself on
 * a fresh PostgreSQL database, configured for all of it.
 */
public final class LoopbackDeployEnvironment implements AutoCloseable {

	public static final String JENKINS_PASSWORD = "jenkins-deploy-it-1";

	/** The operator's password (deploys and rollbacks outside a release are theirs). */
	public static final String ADMIN_PASSWORD = "admin-deploy-it-1";

	/** The addresses of QA's app servers in the sandbox's layout. */
	public static final List<String> QA_POOL = List.of("127.0.0.31", "127.0.0.32", "127.0.0.33", "127.0.0.34");

	/** The addresses of Prod's app servers in the sandbox's layout. */
	public static final List<String> PROD_POOL = List.of("127.0.0.41", "127.0.0.42", "127.0.0.43", "127.0.0.44");

	private final Layout layout;

	public final String prefix;

	public final String prodPrefix;

	public final Path dir;

	/** The tests' layout: the stand-in on 127.0.0.11 (else {@code null}). */
	public StandInAppServer blue;

	/** The tests' layout: the stand-in on 127.0.0.12 (else {@code null}). */
	public StandInAppServer green;

	/** The sandbox's layout: QA's app servers, which follow Heat (else {@code null}). */
	public StandInPool qaServers;

	/**
	 * The sandbox's layout: Prod's app servers, which follow Heat (else {@code null}).
	 */
	public StandInPool prodServers;

	public LoopbackWebFront front;

	public LoopbackSshd sshd;

	/** The sshd of the blue stand-in, on 127.0.0.11. */
	public LoopbackSshd blueSshd;

	/** The sshd of the green stand-in, on 127.0.0.12. */
	public LoopbackSshd greenSshd;

	/** The compute API's console logs, with the stand-ins' host key (or not). */
	public StandInCompute compute;

	/** The extra authorized key the settings name (a public key line). */
	public String extraKey;

	/** The app-server settings' paths: the same for every server, each its own copy. */
	public Path appSecrets;

	private int appSshPort;

	private Path appClientKey;

	private StandInPool.AppServerSsh appServerSsh;

	public TestHeatDirectory heat;

	/**
	 * The service's way to the test bed's Heat ({@code 127.0.0.1:8004}): a test cuts it
	 * to take Heat away from this service only, while other tests go on using Heat.
	 */
	public CuttableLink heatLink;

	public TestPostgres database;

	public RunningService service;

	public ServiceClient client;

	/** The settings the service was started with, for more nodes on its database. */
	public Map<String, String> settings;

	private LoopbackDeployEnvironment(Path dir, Layout layout) {
		this.dir = dir;
		this.layout = layout;
		this.prefix = layout.name() + "_qa_";
		this.prodPrefix = layout.name() + "_prod_";
	}

	/**
	 * What differs between the tests' environment and the sandbox's
	 * ({@code scripts/sandbox}, {@link Sandbox}).
	 *
	 * @param name what the stack prefixes start with
	 * @param servicePort the service's port (0: a free one)
	 * @param qaFrontPort QA's web front port (0: a free one)
	 * @param prodFrontPort Prod's web front port (0: a free one)
	 * @param pools {@code false}: the tests' two stand-ins, blue and green, shared by QA
	 * and Prod, serving what the test sets; {@code true}: a pool of app servers per
	 * environment ({@link #QA_POOL}, {@link #PROD_POOL}) that serve what Heat's stacks
	 * ask for
	 */
	public record Layout(String name, int servicePort, int qaFrontPort, int prodFrontPort, boolean pools) {

		/** A test's: a fresh name, free ports, blue and green. */
		public static Layout forTest() {
			return new Layout("it" + UUID.randomUUID().toString().substring(0, 6), 0, 0, 0, false);
		}

		/** The sandbox's: the service on {@code port}, QA on +100, Prod on +200. */
		public static Layout sandbox(String name, int port) {
			return new Layout(name, port, port + 100, port + 200, true);
		}

	}

	/**
	 * @param dir a fresh folder for keys, configs and data
	 * @param extraSettings settings on top of the loopback ones (for example shorter
	 * waits)
	 */
	public static LoopbackDeployEnvironment start(Path dir, Map<String, String> extraSettings) throws Exception {
		return start(dir, Layout.forTest(), extraSettings);
	}

	/**
	 * @param dir a fresh folder for keys, configs and data
	 * @param layout the tests' or the sandbox's
	 * @param extraSettings settings on top of the loopback ones
	 */
	public static LoopbackDeployEnvironment start(Path dir, Layout layout, Map<String, String> extraSettings)
			throws Exception {
		LoopbackDeployEnvironment env = new LoopbackDeployEnvironment(dir, layout);
		try {
			env.startAll(extraSettings);
		}
		catch (Exception | Error ex) {
			env.close();
			throw ex;
		}
		return env;
	}

	/** The operator's password in force (the extra settings may have set another). */
	public String adminPassword() {
		return this.settings.get("ops.security.admin-password");
	}

	private void startAll(Map<String, String> extraSettings) throws Exception {
		TestBed bed = TestBed.load();
		int appPort = LoopbackSshd.freePort();
		if (!this.layout.pools()) {
			this.blue = StandInAppServer.start("127.0.0.11", appPort, "none");
			this.green = StandInAppServer.start("127.0.0.12", appPort, "none");
		}
		startAppServerSsh();
		this.front = LoopbackWebFront.start(this.dir.resolve("front"), this.layout.qaFrontPort(),
				this.layout.prodFrontPort(), this.layout.pools() ? "rsw_sb_" + this.layout.name() : null);
		this.sshd = LoopbackSshd.start(this.dir.resolve("sshd"),
				Map.of("REPORTING_SWITCH_CONF", this.front.switchConfig().toString()));
		this.heat = TestHeatDirectory.copyOf(Path.of("heat"), this.dir.resolve("heat"));
		this.heatLink = CuttableLink.to("127.0.0.1", 8004);
		this.database = TestPostgres.createDatabase("deploy");

		Map<String, String> settings = new HashMap<>();
		settings.put("spring.datasource.url", this.database.jdbcUrl());
		settings.put("spring.datasource.username", this.database.user());
		settings.put("spring.datasource.password", this.database.password());
		settings.put("ops.data-dir", this.dir.resolve("data").toString());
		if (!"ldap".equals(extraSettings.get("ops.identity.mode"))) {
			// in ldap mode the directory holds Jenkins and the operators, and these are
			// refused
			settings.put("ops.security.jenkins-password", JENKINS_PASSWORD);
			settings.put("ops.security.admin-password", ADMIN_PASSWORD);
		}
		settings.put("ops.heat.directory", this.heat.path().toString());
		environment(settings, "qa", this.prefix, appPort, bed);
		environment(settings, "prod", this.prodPrefix, appPort, bed);
		if (this.layout.servicePort() != 0) {
			settings.put("server.port", Integer.toString(this.layout.servicePort()));
		}
		settings.putAll(extraSettings);
		this.settings = Map.copyOf(settings);
		String qaPassword = settings.get("ops.environments.qa.database.password");
		String prodPassword = settings.get("ops.environments.prod.database.password");
		if (this.layout.pools()) {
			this.qaServers = StandInPool.start(this.dir.resolve("qa-servers"), this.prefix, QA_POOL, appPort,
					this.appServerSsh, qaPassword);
			this.prodServers = StandInPool.start(this.dir.resolve("prod-servers"), this.prodPrefix, PROD_POOL, appPort,
					this.appServerSsh, prodPassword);
			Map<String, String> addresses = new java.util.LinkedHashMap<>(this.qaServers.addressKnob(300));
			addresses.putAll(this.prodServers.addressKnob(300));
			// a new server takes a few seconds, as in a cloud: long enough to watch
			this.heat.knobs(Map.of("fake_server_ips", json(addresses), "fake_server_create_secs", "3"));
		}
		else {
			java.util.Set<String> passwords = java.util.Set.of(qaPassword, prodPassword);
			this.blue.requirePassword(this.dir.resolve("blue-secrets").resolve("db-password"), passwords);
			this.green.requirePassword(this.dir.resolve("green-secrets").resolve("db-password"), passwords);
		}
		this.service = RunningService.start(settings);
		this.client = this.service.client();
		if (this.layout.pools()) {
			HeatStacks heatStacks = this.service.bean(HeatStacks.class);
			this.qaServers.follow(() -> heatStacks.listNumbered("qa", this.prefix),
					(stack) -> heatStacks.get("qa", stack.ref()));
			this.prodServers.follow(() -> heatStacks.listNumbered("prod", this.prodPrefix),
					(stack) -> heatStacks.get("prod", stack.ref()));
		}
	}

	private static String json(Map<String, String> map) {
		StringBuilder json = new StringBuilder("{");
		map.forEach((key, value) -> json.append((json.length() > 1) ? ", " : "")
			.append('"')
			.append(key)
			.append("\": \"")
			.append(value)
			.append('"'));
		return json.append('}').toString();
	}

	/**
	 * One host key for both stand-ins (the console stand-in answers for any server), the
	 * service's key, and an sshd on each stand-in's address.
	 */
	private void startAppServerSsh() throws Exception {
		Path keys = this.dir.resolve("app-keys");
		java.nio.file.Files.createDirectories(keys);
		LoopbackSshd.keygen(keys.resolve("host_ed25519"));
		LoopbackSshd.keygen(keys.resolve("other_host_ed25519"));
		LoopbackSshd.keygen(keys.resolve("service_ed25519"));
		LoopbackSshd.keygen(keys.resolve("extra_ed25519"));
		this.appClientKey = keys.resolve("service_ed25519");
		this.extraKey = java.nio.file.Files.readString(keys.resolve("extra_ed25519.pub")).strip();
		this.appSecrets = this.dir.resolve("app-secrets");
		this.appSshPort = LoopbackSshd.freePort();
		this.appServerSsh = new StandInPool.AppServerSsh(this.appSshPort, keys.resolve("host_ed25519"),
				keys.resolve("service_ed25519.pub"), this.appSecrets);
		if (!this.layout.pools()) {
			this.blueSshd = this.appServerSsh.start(this.dir.resolve("blue-sshd"), "127.0.0.11",
					this.dir.resolve("blue-secrets"));
			this.greenSshd = this.appServerSsh.start(this.dir.resolve("green-sshd"), "127.0.0.12",
					this.dir.resolve("green-secrets"));
		}
		this.compute = StandInCompute.start(keys.resolve("host_ed25519.pub"), keys.resolve("other_host_ed25519.pub"));
	}

	/** The environment's database password (what the stand-ins wait for). */
	public static String password(String environment) {
		return environment + "-db-password-it";
	}

	/** What the service delivered to a stand-in, as that server sees it. */
	public Path delivered(StandInAppServer server, String file) {
		return this.dir.resolve((server == this.blue) ? "blue-secrets" : "green-secrets").resolve(file);
	}

	private void environment(Map<String, String> settings, String name, String stackPrefix, int appPort, TestBed bed) {
		String env = "ops.environments." + name + ".";
		settings.put(env + "cloud.auth-url", bed.get("OS_AUTH_URL"));
		settings.put(env + "cloud.project-name", bed.get("OS_PROJECT_NAME"));
		settings.put(env + "cloud.user-name", bed.get("OS_USERNAME"));
		settings.put(env + "cloud.password", bed.get("OS_PASSWORD"));
		settings.put(env + "cloud.endpoint-overrides.orchestration", this.heatLink.baseUrl());
		settings.put(env + "cloud.endpoint-overrides.compute", this.compute.baseUrl());
		settings.put(env + "stack.prefix", stackPrefix);
		settings.put(env + "stack.environment-file", "test/loopback-env.yaml");
		settings.put(env + "stack.create-timeout-minutes", "1");
		TestBed.CLOUD_PARAMETERS.forEach((key, value) -> settings.put(env + "stack.parameters." + key, value));
		settings.put(env + "web-front.host", "127.0.0.1");
		settings.put(env + "web-front.port", Integer.toString(this.sshd.port()));
		settings.put(env + "web-front.user", "root");
		settings.put(env + "web-front.private-key-path", this.sshd.clientKey().toString());
		settings.put(env + "web-front.known-hosts-path", this.sshd.knownHosts().toString());
		settings.put(env + "web-front.public-url", this.front.publicUrl(name));
		settings.put(env + "web-front.switch-command[0]", LoopbackWebFront.switchScript().toString());
		settings.put(env + "database.host", "127.0.0.1");
		settings.put(env + "database.name", "reporting_" + name);
		settings.put(env + "database.user", "reporting");
		settings.put(env + "database.password", password(name));
		settings.put(env + "app-server.user", "root");
		settings.put(env + "app-server.ssh-port", Integer.toString(this.appSshPort));
		settings.put(env + "app-server.private-key-path", this.appClientKey.toString());
		settings.put(env + "app-server.password-file", this.appSecrets.resolve("db-password").toString());
		settings.put(env + "app-server.authorized-keys-file", this.appSecrets.resolve("authorized_keys2").toString());
		settings.put(env + "app-server.extra-authorized-keys[0]", this.extraKey);
		settings.put(env + "app-server.timeout-seconds", "10");
		settings.put(env + "health-path", "/health");
		settings.put(env + "health-port", Integer.toString(appPort));
	}

	/** Deletes this environment's stacks from Heat (the stack prefixes'). */
	public void deleteStacks() {
		this.heatLink.mend();
		HeatStacks heatStacks = this.service.bean(HeatStacks.class);
		heatStacks.listNumbered("qa", this.prefix).forEach((state) -> heatStacks.delete("qa", state.ref()));
		heatStacks.listNumbered("prod", this.prodPrefix).forEach((state) -> heatStacks.delete("prod", state.ref()));
	}

	/**
	 * Stops everything it started, each part even when an earlier part fails (Heat may be
	 * down when a test failed), then reports the first failure.
	 */
	@Override
	public void close() throws Exception {
		List<AutoCloseable> steps = new ArrayList<>();
		if (this.service != null) {
			steps.add(this::deleteStacks);
			steps.add(this.service);
		}
		for (AutoCloseable part : new AutoCloseable[] { this.qaServers, this.prodServers, this.sshd, this.front,
				this.blue, this.green, this.blueSshd, this.greenSshd, this.compute, this.heatLink }) {
			if (part != null) {
				steps.add(part);
			}
		}
		if (this.database != null) {
			steps.add(this.database::drop);
		}
		Exception first = null;
		for (AutoCloseable step : steps) {
			try {
				step.close();
			}
			catch (Exception ex) {
				first = (first != null) ? first : ex;
			}
		}
		if (first != null) {
			throw first;
		}
	}

}
