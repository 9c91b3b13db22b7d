package au.edu.unimelb.reporting.ops.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

/**
 * The packaged service as its own JVM on a loopback port, for tests that kill it. Every
 * setting goes in through the environment ({@code ops.backup.gpg-passphrase} as
 * {@code OPS_BACKUP_GPGPASSPHRASE}), so that no secret is on its command line.
 */
public final class ServiceProcess implements AutoCloseable {

	private final Process process;

	private final int port;

	private final Path log;

	private ServiceProcess(Process process, int port, Path log) {
		this.process = process;
		this.port = port;
		this.log = log;
	}

	/**
	 * Starts the jar and waits until it reports healthy.
	 * @param workDir its working directory
	 * @param settings its settings, {@code name -> value}
	 * @param log where its output goes (appended)
	 */
	public static ServiceProcess start(Path workDir, Map<String, String> settings, int port, Path log)
			throws Exception {
		return start(workDir, settings, Map.of(), port, log);
	}

	/**
	 * Starts the jar with more variables in its environment (that are no settings), and
	 * waits until it reports healthy.
	 * @param environment variables put into its environment as they are
	 */
	public static ServiceProcess start(Path workDir, Map<String, String> settings, Map<String, String> environment,
			int port, Path log) throws Exception {
		ServiceProcess service = launch(workDir, settings, environment, port, log);
		service.awaitHealthy(Duration.ofSeconds(120));
		return service;
	}

	/**
	 * Starts the jar and returns at once: its engine may run jobs before it reports
	 * healthy ({@link #awaitHealthy}).
	 */
	public static ServiceProcess launch(Path workDir, Map<String, String> settings, Map<String, String> environment,
			int port, Path log) throws Exception {
		Path jar = Path.of(System.getProperty("service.jar", "target/reporting-ops.jar")).toAbsolutePath();
		ProcessBuilder builder = new ProcessBuilder(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
						// C1 only: these nodes start often and compute little; starts 20
						// % sooner
						"-XX:TieredStopAtLevel=1", "-jar", jar.toString()))
			.directory(workDir.toFile())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
		// a map key with an underscore (a Heat parameter such as ops_cidr) cannot survive
		// the environment variable's name: those go in as SPRING_APPLICATION_JSON
		Map<String, String> json = new java.util.TreeMap<>();
		settings.forEach((name, value) -> {
			if (name.contains("_")) {
				json.put(name, value);
			}
			else {
				builder.environment().put(environmentName(name), value);
			}
		});
		if (!json.isEmpty()) {
			builder.environment()
				.put("SPRING_APPLICATION_JSON",
						new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(json));
		}
		builder.environment().putAll(environment);
		builder.environment().put("SERVER_PORT", Integer.toString(port));
		builder.environment().put("SERVER_ADDRESS", "127.0.0.1");
		return new ServiceProcess(builder.start(), port, log);
	}

	/**
	 * {@code ops.qa-restore.migrate-command[0]} becomes
	 * {@code OPS_QARESTORE_MIGRATECOMMAND_0_}.
	 */
	static String environmentName(String setting) {
		return setting.replace("-", "").replace("[", "_").replace("]", "_").replace('.', '_').toUpperCase(Locale.ROOT);
	}

	/** Waits until it reports healthy; fails at once when it exits. */
	public void awaitHealthy(Duration limit) {
		HttpClient http = HttpClient.newHttpClient();
		Awaitility.await("the service on port " + this.port + " healthy (its log: " + this.log + ")")
			.atMost(limit)
			.pollInterval(Duration.ofMillis(250))
			.failFast("the service exited (its log: " + this.log + ")", () -> !this.process.isAlive())
			// not listening yet
			.ignoreExceptionsInstanceOf(IOException.class)
			.until(() -> http
				.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health"))
					.timeout(Duration.ofSeconds(5))
					.build(), HttpResponse.BodyHandlers.ofString())
				.statusCode() == 200);
	}

	public String baseUrl() {
		return "http://127.0.0.1:" + this.port;
	}

	public ServiceClient client() {
		return new ServiceClient(baseUrl());
	}

	/**
	 * Deploys a model over REST ({@code POST /engine-rest/deployment/create}), as an
	 * administrator would from a script.
	 * @return the answer's body
	 */
	public String deploy(Path model, String user, String password) throws Exception {
		String boundary = "----reporting-ops-" + java.util.UUID.randomUUID();
		byte[] bytes = java.nio.file.Files.readAllBytes(model);
		byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"deployment-name\"\r\n\r\n"
				+ model.getFileName() + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"data\"; "
				+ "filename=\"" + model.getFileName() + "\"\r\nContent-Type: application/xml\r\n\r\n")
			.getBytes(java.nio.charset.StandardCharsets.UTF_8);
		byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
		byte[] body = new byte[head.length + bytes.length + tail.length];
		System.arraycopy(head, 0, body, 0, head.length);
		System.arraycopy(bytes, 0, body, head.length, bytes.length);
		System.arraycopy(tail, 0, body, head.length + bytes.length, tail.length);
		String credentials = java.util.Base64.getEncoder()
			.encodeToString((user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
		HttpResponse<String> deployed = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/engine-rest/deployment/create"))
				.header("Authorization", "Basic " + credentials)
				.header("Content-Type", "multipart/form-data; boundary=" + boundary)
				.timeout(Duration.ofSeconds(30))
				.POST(HttpRequest.BodyPublishers.ofByteArray(body))
				.build(), HttpResponse.BodyHandlers.ofString());
		if (deployed.statusCode() != 200) {
			throw new IllegalStateException("Deploying " + model + " failed: " + deployed.body());
		}
		return deployed.body();
	}

	public long pid() {
		return this.process.pid();
	}

	/** kill -9: no shutdown hook, no graceful stop, its children left running. */
	public void kill() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor(30, TimeUnit.SECONDS);
	}

	@Override
	public void close() throws InterruptedException {
		if (this.process.isAlive()) {
			this.process.destroy();
			if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}
	}

}
