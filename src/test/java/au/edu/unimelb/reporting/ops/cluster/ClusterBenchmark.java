package au.edu.unimelb.reporting.ops.cluster;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import au.edu.unimelb.reporting.ops.support.LoopbackSshd;
import au.edu.unimelb.reporting.ops.support.ServiceProcess;
import au.edu.unimelb.reporting.ops.support.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Benchmark of the job executor on 1 and on 2 nodes (separate JVMs of the jar on one
 * PostgreSQL database), with a chain of three asynchronous no-op steps: the pickup
 * latency from one step's end to the next step's start (p50/p95, instances started one at
 * a time on an idle cluster), and the throughput of many chains started at once. Prints a
 * report; asserts nothing about times. Run by {@code scripts/bench-cluster.sh}.
 */
class ClusterBenchmark {

	static final String PASSWORD = "cluster-bench-admin-2c5d";

	static final Pattern ACTIVITY = Pattern.compile(
			"\"activityId\":\"(Task_Step[123])\".*?\"processInstanceId\":\"([^\"]+)\".*?\"startTime\":\"([^\"]+)\",\"endTime\":\"([^\"]*)\"");

	final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@Test
	void measure(@TempDir Path dir) throws Exception {
		int sequential = Integer.getInteger("bench.sequential", 100);
		int burst = Integer.getInteger("bench.burst", 300);
		StringBuilder report = new StringBuilder("cluster benchmark:\n");
		for (int nodes = 1; nodes <= 2; nodes++) {
			TestPostgres database = TestPostgres.createDatabase("bench");
			List<ServiceProcess> running = new ArrayList<>();
			try {
				for (int node = 1; node <= nodes; node++) {
					Path nodeDir = dir.resolve(nodes + "-node" + node);
					Files.createDirectories(nodeDir);
					Map<String, String> settings = new LinkedHashMap<>();
					settings.put("spring.datasource.url", database.jdbcUrl());
					settings.put("spring.datasource.username", database.user());
					settings.put("spring.datasource.password", database.password());
					settings.put("ops.security.admin-password", PASSWORD);
					settings.put("ops.data-dir", nodeDir.resolve("data").toString());
					settings.put("logging.level.root", "warn");
					running.add(ServiceProcess.start(nodeDir, settings, LoopbackSshd.freePort(),
							nodeDir.resolve("node.log")));
				}
				deploy(running.get(0));
				String prefix = "seq-" + UUID.randomUUID().toString().substring(0, 6);
				for (int i = 0; i < sequential; i++) {
					start(running.get(i % nodes), prefix + "-" + i);
					awaitFinished(running.get(0), prefix + "-", i + 1, Duration.ofSeconds(30));
				}
				List<Long> latencies = latencies(running.get(0), prefix);
				String burstPrefix = "burst-" + UUID.randomUUID().toString().substring(0, 6);
				ExecutorService callers = Executors.newFixedThreadPool(8);
				Instant burstStart = Instant.now();
				List<CompletableFuture<Void>> starts = new ArrayList<>();
				for (int i = 0; i < burst; i++) {
					ServiceProcess node = running.get(i % nodes);
					String key = burstPrefix + "-" + i;
					starts.add(CompletableFuture.runAsync(() -> start(node, key), callers));
				}
				CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).get();
				callers.shutdown();
				awaitFinished(running.get(0), burstPrefix + "-", burst, Duration.ofMinutes(5));
				double seconds = Duration.between(burstStart, Instant.now()).toMillis() / 1000.0;
				Collections.sort(latencies);
				report.append(String.format(
						"  %d node(s): step-to-step pickup latency p50 %d ms, p95 %d ms, max %d ms (%d pickups, one "
								+ "chain at a time); %d chains of 3 async steps started at once finished in %.1f s = "
								+ "%.0f steps/s%n",
						nodes, percentile(latencies, 50), percentile(latencies, 95),
						latencies.get(latencies.size() - 1), latencies.size(), burst, seconds, burst * 3 / seconds));
			}
			finally {
				for (ServiceProcess node : running) {
					node.close();
				}
				database.drop();
			}
		}
		System.out.println(report);
	}

	private List<Long> latencies(ServiceProcess node, String prefix) {
		String body = get(node, "/engine-rest/history/activity-instance?processDefinitionKey=noop-chain"
				+ "&sortBy=startTime&sortOrder=asc&maxResults=100000");
		Map<String, Map<String, Instant[]>> byInstance = new LinkedHashMap<>();
		for (String item : body.split("\\},\\{")) {
			Matcher m = ACTIVITY.matcher(item);
			if (m.find() && !m.group(4).isEmpty()) {
				byInstance.computeIfAbsent(m.group(2), (k) -> new LinkedHashMap<>())
					.put(m.group(1), new Instant[] { parse(m.group(3)), parse(m.group(4)) });
			}
		}
		List<Long> latencies = new ArrayList<>();
		for (Map<String, Instant[]> steps : byInstance.values()) {
			for (String[] pair : new String[][] { { "Task_Step1", "Task_Step2" }, { "Task_Step2", "Task_Step3" } }) {
				Instant[] first = steps.get(pair[0]);
				Instant[] next = steps.get(pair[1]);
				if (first != null && next != null) {
					latencies.add(Duration.between(first[1], next[0]).toMillis());
				}
			}
		}
		return latencies;
	}

	private static Instant parse(String time) {
		return OffsetDateTime.parse(time, DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ")).toInstant();
	}

	private static long percentile(List<Long> sorted, int percent) {
		int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
		return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
	}

	private void awaitFinished(ServiceProcess node, String prefix, int count, Duration limit)
			throws InterruptedException {
		Instant deadline = Instant.now().plus(limit);
		while (Instant.now().isBefore(deadline)) {
			String answer = get(node, "/engine-rest/history/process-instance/count?processDefinitionKey=noop-chain"
					+ "&finished=true&processInstanceBusinessKeyLike=" + prefix + "%25");
			if (answer.contains("\"count\":" + count + "}")) {
				return;
			}
			Thread.sleep(20);
		}
		throw new AssertionError(count + " chains " + prefix + " did not finish within " + limit);
	}

	private void start(ServiceProcess node, String key) {
		HttpResponse<String> started = send(HttpRequest.newBuilder()
			.uri(URI.create(node.baseUrl() + "/engine-rest/process-definition/key/noop-chain/start"))
			.header("Authorization", basic())
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"businessKey\":\"" + key + "\"}")));
		if (started.statusCode() != 200) {
			throw new IllegalStateException(started.body());
		}
	}

	private void deploy(ServiceProcess node) throws Exception {
		node.deploy(Path.of("src/test/resources/cluster-test/noop-chain.bpmn"), "admin", PASSWORD);
	}

	private String get(ServiceProcess node, String path) {
		return send(
				HttpRequest.newBuilder().uri(URI.create(node.baseUrl() + path)).header("Authorization", basic()).GET())
			.body();
	}

	private HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return this.http.send(request.timeout(Duration.ofSeconds(30)).build(),
					HttpResponse.BodyHandlers.ofString());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String basic() {
		return "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
	}

}
