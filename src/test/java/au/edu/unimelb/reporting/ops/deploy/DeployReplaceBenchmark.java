package au.edu.unimelb.reporting.ops.deploy;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import au.edu.unimelb.reporting.ops.heat.HeatStacks;
import au.edu.unimelb.reporting.ops.heat.StackRef;
import au.edu.unimelb.reporting.ops.heat.StackStatus;
import au.edu.unimelb.reporting.ops.support.LoopbackDeployEnvironment;
import au.edu.unimelb.reporting.ops.support.StandInAppServer;
import org.awaitility.Awaitility;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.history.HistoricActivityInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Figures for the deploy issue, not a test (its name keeps it out of the suite;
 * {@code scripts/bench-deploy.sh} runs it): the orchestration overhead of deploy-replace
 * over 10 runs, and wrk against the web front while 20 deploy-replace runs switch it
 * between two stand-in servers. It prints a report and asserts nothing about timings.
 */
class DeployReplaceBenchmark {

	private static final Logger log = LoggerFactory.getLogger(DeployReplaceBenchmark.class);

	@TempDir
	Path dir;

	@Test
	void measure() throws Exception {
		int overheadRuns = Integer.getInteger("bench.overheadRuns", 10);
		int loadRuns = Integer.getInteger("bench.loadRuns", 20);
		StringBuilder report = new StringBuilder();
		try (LoopbackDeployEnvironment env = LoopbackDeployEnvironment.start(this.dir, Map.of())) {
			report.append(String.format(
					"deploy-replace benchmark: ops.deploy.poll-initial=%s, poll-max=%s (defaults), "
							+ "job executor max-wait=1s; Heat = loopback heat-all, stacks from heat/app-server.yaml%n",
					env.service.bean(DeploySettings.class).pollInitial(),
					env.service.bean(DeploySettings.class).pollMax()));
			overhead(env, overheadRuns, report);
			System.out.println(report);
			underLoad(env, loadRuns, report);
		}
		System.out.println();
		System.out.println(report);
		log.info("\n{}", report);
	}

	private void overhead(LoopbackDeployEnvironment env, int runs, StringBuilder report) throws Exception {
		List<long[]> rows = new ArrayList<>();
		for (int run = 1; run <= runs; run++) {
			Timing timing = deploy(env, "ov" + run, (run % 2 == 1) ? env.blue : env.green);
			rows.add(new long[] { timing.total(), timing.heat(), timing.overhead(), timing.firstCheckLag(),
					timing.switchMillis() });
		}
		report.append(String.format("%nOrchestration overhead over %d runs (ms): overhead = REST start -> web front "
				+ "switched, minus Heat's create time (create call -> CREATE_COMPLETE seen by a 20 ms watcher); the "
				+ "stand-ins are healthy at once, so there is no health wait to subtract%n", runs));
		report.append(String.format("  %-28s %8s %8s %8s%n", "", "median", "min", "max"));
		String[] names = { "REST start -> switched", "Heat create time", "overhead",
				"  of it: lag of first READY check", "  of it: the switch (SSH + script)" };
		for (int column = 0; column < names.length; column++) {
			final int c = column;
			List<Long> values = rows.stream().map((row) -> row[c]).sorted().toList();
			report.append(String.format("  %-36s %8d %8d %8d%n", names[column], median(values), values.get(0),
					values.get(values.size() - 1)));
		}
	}

	private void underLoad(LoopbackDeployEnvironment env, int runs, StringBuilder report) throws Exception {
		String url = env.front.publicUrl() + "/";
		// Steady: the web front serves one server, nothing switches.
		env.blue.serve("steady");
		deploy(env, "steady", env.blue);
		Wrk steady = wrk(url, 15);
		report.append(String.format("%nwrk -t2 -c50 (keep-alive, no retries) against the web front, %s%n", url));
		report.append(String.format("  steady, 15 s:   %s%n", steady));

		Path wrkOut = this.dir.resolve("wrk-switching.txt");
		Process wrk = new ProcessBuilder("wrk", "-t2", "-c50", "-d600s", "--latency", "--timeout", "5s", url)
			.redirectErrorStream(true)
			.redirectOutput(wrkOut.toFile())
			.start();
		List<Long> reachNew = new ArrayList<>();
		Instant began = Instant.now();
		for (int run = 1; run <= runs; run++) {
			StandInAppServer target = (run % 2 == 1) ? env.green : env.blue;
			Timing timing = deploy(env, "load" + run, target);
			reachNew.add(timing.newServerSeenMillis());
		}
		long seconds = Duration.between(began, Instant.now()).toSeconds();
		// SIGINT makes wrk stop and print its summary (SIGTERM would lose it).
		new ProcessBuilder("kill", "-INT", Long.toString(wrk.pid())).start().waitFor(10, TimeUnit.SECONDS);
		wrk.waitFor(30, TimeUnit.SECONDS);
		Wrk switching = Wrk.parse(java.nio.file.Files.readString(wrkOut));
		report.append(String.format("  during %d deploy-replace runs (%d s): %s%n", runs, seconds, switching));
		List<Long> sorted = reachNew.stream().sorted().toList();
		report.append(String.format(
				"  first request answered by the new server after the switch step ended (ms, "
						+ "10 ms probe on fresh connections): median %d, max %d%n",
				median(sorted), sorted.get(sorted.size() - 1)));
	}

	private Timing deploy(LoopbackDeployEnvironment env, String build, StandInAppServer target) throws Exception {
		target.serve(build);
		env.heat.knobs(Map.of("fake_server_ip", target.address().split(":")[0]));
		Instant sent = Instant.now();
		HttpResponse<String> response = env.client.postJson("/engine-rest/process-definition/key/deploy-replace/start",
				"{\"variables\":{\"environment\":{\"value\":\"qa\"},\"build\":{\"value\":\"" + build + "\"}}}", "admin",
				env.adminPassword());
		Matcher idMatch = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(response.body());
		if (response.statusCode() != 200 || !idMatch.find()) {
			throw new IllegalStateException("start failed: " + response.body());
		}
		String id = idMatch.group(1);
		ProcessEngine engine = env.service.bean(ProcessEngine.class);
		HistoryService history = engine.getHistoryService();
		HeatStacks heat = env.service.bean(HeatStacks.class);

		// Watch Heat and the web front on the side, at 20 ms and 10 ms.
		String stackId = Awaitility.await()
			.atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(5))
			.until(() -> (String) engine.getRuntimeService().getVariable(id, "stackId"), (value) -> value != null);
		StackRef ref = new StackRef((String) engine.getRuntimeService().getVariable(id, "stackName"), stackId);
		Instant complete = Awaitility.await()
			.atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> heat.get("qa", ref).status() == StackStatus.CREATE_COMPLETE ? Instant.now() : null,
					(seen) -> seen != null);
		Instant newSeen = Awaitility.await()
			.atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(10))
			.until(() -> served(env).contains("\"build\":\"" + build + "\"") ? Instant.now() : null,
					(seen) -> seen != null);
		Awaitility.await()
			.atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> history.createHistoricProcessInstanceQuery().processInstanceId(id).finished().count() == 1);
		List<HistoricActivityInstance> steps = history.createHistoricActivityInstanceQuery()
			.processInstanceId(id)
			.list();
		HistoricActivityInstance create = first(steps, "Task_CreateStack");
		HistoricActivityInstance switched = first(steps, "Task_SwitchWebFront");
		HistoricActivityInstance firstReady = steps.stream()
			.filter((step) -> step.getActivityId().equals("Task_CheckStack"))
			.max(Comparator.comparing(HistoricActivityInstance::getStartTime))
			.orElseThrow();
		long total = switched.getEndTime().getTime() - sent.toEpochMilli();
		long heatTime = complete.toEpochMilli() - create.getStartTime().getTime();
		return new Timing(total, heatTime, total - heatTime,
				Math.max(0, firstReady.getStartTime().getTime() - complete.toEpochMilli()),
				switched.getEndTime().getTime() - switched.getStartTime().getTime(),
				newSeen.toEpochMilli() - switched.getEndTime().getTime());
	}

	private static HistoricActivityInstance first(List<HistoricActivityInstance> steps, String activity) {
		return steps.stream()
			.filter((step) -> step.getActivityId().equals(activity))
			.min(Comparator.comparing(HistoricActivityInstance::getStartTime))
			.orElseThrow(() -> new IllegalStateException("no " + activity));
	}

	private static String served(LoopbackDeployEnvironment env) {
		try {
			return env.front.served();
		}
		catch (Exception ex) {
			return "";
		}
	}

	private static long median(List<Long> sorted) {
		return sorted.get(sorted.size() / 2);
	}

	private static Wrk wrk(String url, int seconds) throws Exception {
		Process process = startWrk(url, seconds);
		String output = new String(process.getInputStream().readAllBytes());
		process.waitFor(seconds + 30, TimeUnit.SECONDS);
		return Wrk.parse(output);
	}

	private static Process startWrk(String url, int seconds) throws Exception {
		return new ProcessBuilder("wrk", "-t2", "-c50", "-d" + seconds + "s", "--latency", "--timeout", "5s", url)
			.redirectErrorStream(true)
			.start();
	}

	record Timing(long total, long heat, long overhead, long firstCheckLag, long switchMillis,
			long newServerSeenMillis) {
	}

	record Wrk(String requests, String rate, String p50, String p99, String socketErrors, String non2xx) {

		static Wrk parse(String output) {
			return new Wrk(find(output, "(\\d+) requests in"), find(output, "Requests/sec:\\s+([\\d.]+)"),
					find(output, "50%\\s+(\\S+)"), find(output, "99%\\s+(\\S+)"),
					find(output, "Socket errors: ([^\\n]+)"), find(output, "Non-2xx or 3xx responses: (\\d+)"));
		}

		private static String find(String output, String regex) {
			Matcher matcher = Pattern.compile(regex).matcher(output);
			return matcher.find() ? matcher.group(1).trim() : "none";
		}

		@Override
		public String toString() {
			return String.format("%s requests, %s req/s, latency p50 %s p99 %s, socket errors: %s, non-2xx: %s",
					this.requests, this.rate, this.p50, this.p99, this.socketErrors, this.non2xx);
		}

	}

}
