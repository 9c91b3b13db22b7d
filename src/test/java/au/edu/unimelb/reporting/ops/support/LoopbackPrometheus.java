package au.edu.unimelb.reporting.ops.support;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * A real Prometheus server (Debian package {@code prometheus}) on a free loopback port,
 * with its config, rules and storage in a folder of its own, scraping one service every
 * second and evaluating its rules every second. The scrape's password is in a file (mode
 * 600), never in the config or the argv. Stops on {@link #close()}.
 */
public final class LoopbackPrometheus implements AutoCloseable {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final Path dir;

	private final int port;

	private final Process process;

	private LoopbackPrometheus(Path dir, int port, Process process) {
		this.dir = dir;
		this.port = port;
		this.process = process;
	}

	/**
	 * Starts Prometheus and waits until it is ready.
	 * @param dir a fresh folder
	 * @param job the scrape job's name
	 * @param target the service's {@code host:port}
	 * @param user the scrape login's user
	 * @param password its password (written to a file)
	 * @param rules the rule file's content
	 */
	public static LoopbackPrometheus start(Path dir, String job, String target, String user, String password,
			String rules) throws Exception {
		Files.createDirectories(dir.resolve("data"));
		Path passwordFile = dir.resolve("scrape.password");
		Files.createFile(passwordFile,
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		Files.writeString(passwordFile, password);
		Files.writeString(dir.resolve("rules.yml"), rules);
		Files.writeString(dir.resolve("prometheus.yml"), """
				global:
				  scrape_interval: 1s
				  scrape_timeout: 1s
				  evaluation_interval: 1s
				rule_files: ['%1$s/rules.yml']
				scrape_configs:
				  - job_name: '%2$s'
				    metrics_path: /actuator/prometheus
				    basic_auth: {username: '%3$s', password_file: '%1$s/scrape.password'}
				    static_configs: [{targets: ['%4$s']}]
				""".formatted(dir, job, user, target));
		int port = LoopbackSshd.freePort();
		Process process = new ProcessBuilder(List.of("/usr/bin/prometheus",
				"--config.file=" + dir.resolve("prometheus.yml"), "--storage.tsdb.path=" + dir.resolve("data"),
				"--web.listen-address=127.0.0.1:" + port, "--log.level=warn"))
			.redirectErrorStream(true)
			.redirectOutput(dir.resolve("prometheus.log").toFile())
			.start();
		LoopbackPrometheus prometheus = new LoopbackPrometheus(dir, port, process);
		try {
			prometheus.awaitReady(Duration.ofSeconds(20));
		}
		catch (Exception ex) {
			prometheus.close();
			throw ex;
		}
		return prometheus;
	}

	public String url() {
		return "http://127.0.0.1:" + this.port;
	}

	/** {@code GET /api/v1/alerts}: the active alerts (pending and firing) as JSON. */
	public JsonNode alerts() throws IOException, InterruptedException {
		HttpResponse<String> response = HTTP.send(
				HttpRequest.newBuilder(URI.create(url() + "/api/v1/alerts")).timeout(Duration.ofSeconds(5)).build(),
				HttpResponse.BodyHandlers.ofString());
		return new ObjectMapper().readTree(response.body()).path("data").path("alerts");
	}

	/**
	 * {@code GET /api/v1/query}: the value of an instant query that yields one series, or
	 * NaN when it yields none.
	 */
	public double value(String query) throws IOException, InterruptedException {
		URI uri = URI.create(url() + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
		HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
				HttpResponse.BodyHandlers.ofString());
		JsonNode result = new ObjectMapper().readTree(response.body()).path("data").path("result");
		return result.isEmpty() ? Double.NaN : Double.parseDouble(result.get(0).path("value").get(1).asText());
	}

	/**
	 * The state of the alert ({@code pending} or {@code firing}), or {@code inactive}.
	 */
	public String alertState(String name) throws IOException, InterruptedException {
		for (JsonNode alert : alerts()) {
			if (name.equals(alert.path("labels").path("alertname").asText())) {
				return alert.path("state").asText();
			}
		}
		return "inactive";
	}

	public String log() throws IOException {
		Path log = this.dir.resolve("prometheus.log");
		return Files.exists(log) ? Files.readString(log) : "";
	}

	private void awaitReady(Duration limit) throws Exception {
		Instant deadline = Instant.now().plus(limit);
		while (true) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("prometheus exited with " + this.process.exitValue() + ": " + log());
			}
			try {
				HttpResponse<Void> ready = HTTP.send(
						HttpRequest.newBuilder(URI.create(url() + "/-/ready")).timeout(Duration.ofSeconds(2)).build(),
						HttpResponse.BodyHandlers.discarding());
				if (ready.statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			if (Instant.now().isAfter(deadline)) {
				throw new IllegalStateException("prometheus is not ready on " + url() + ": " + log());
			}
			Thread.sleep(100);
		}
	}

	@Override
	public void close() throws InterruptedException {
		if (this.process.isAlive()) {
			this.process.destroy();
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
	}

}
