package au.edu.unimelb.reporting.ops.deploy;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import au.edu.unimelb.reporting.ops.heat.HeatStacks;
import au.edu.unimelb.reporting.ops.heat.StackStatus;
import au.edu.unimelb.reporting.ops.support.LoopbackDeployEnvironment;
import au.edu.unimelb.reporting.ops.support.PollingWatch;
import au.edu.unimelb.reporting.ops.support.ProcessArgvWatch;
import au.edu.unimelb.reporting.ops.support.ServiceClient;
import au.edu.unimelb.reporting.ops.support.ServiceNodes;
import au.edu.unimelb.reporting.ops.support.StandInAppServer;
import au.edu.unimelb.reporting.ops.support.ThreadDumpOnTimeout;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ProcessEngine;
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
 * kill -9 of the node running a deploy-replace, at each of: waiting for the new stack,
 * waiting for the new server's health, and right after the web-front switch (before the
 * old stacks are retired). In one variant the same node is started again, in the other
 * the second node carries on (and a replacement node is started for the next kill). The
 * deploy ends DEPLOYED with exactly one new stack, the web front on the new, healthy
 * server, never on an unhealthy one (watched every few milliseconds throughout), no lock
 * left, no program outliving its node, and no secret in argv, logs or the engine's
 * tables.
 *
 * <p>
 * The nodes are the packaged jar on the test bed's real Keystone + Heat, nginx switched
 * over sshd; a service inside the test JVM, on the same database with its job executor
 * off, only reads Heat and the history.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 7, unit = TimeUnit.MINUTES)
@ExtendWith(ThreadDumpOnTimeout.class)
class DeployCrashIT {

	static final Duration LOCK = Duration.ofSeconds(12);

	LoopbackDeployEnvironment env;

	Map<String, String> nodeSettings;

	final List<String> timings = new ArrayList<>();

	int nodesStarted = 2;

	/** The replacement of the node killed last, coming up in the background. */
	java.util.concurrent.CompletableFuture<?> replacement = java.util.concurrent.CompletableFuture
		.completedFuture(null);

	@BeforeAll
	void start(@TempDir Path dir) throws Exception {
		Map<String, String> shortCalls = new HashMap<>();
		shortCalls.put("ops.deploy.poll-initial", "200ms");
		shortCalls.put("ops.deploy.poll-max", "1s");
		shortCalls.put("ops.deploy.health-timeout", "3m");
		shortCalls.put("ops.deploy.public-check-timeout", "20s");
		shortCalls.put("ops.deploy.probe-timeout", "2s");
		shortCalls.put("ops.qa-restore.timeout-seconds", "5");
		for (String environment : List.of("qa", "prod")) {
			shortCalls.put("ops.environments." + environment + ".cloud.request-timeout-seconds", "5");
			shortCalls.put("ops.environments." + environment + ".web-front.timeout-seconds", "4");
			shortCalls.put("ops.environments." + environment + ".app-server.timeout-seconds", "4");
		}
		Map<String, String> reader = new HashMap<>(shortCalls);
		reader.put("camunda.bpm.job-execution.enabled", "false");
		this.env = LoopbackDeployEnvironment.start(dir, reader);
		this.nodeSettings = new HashMap<>(this.env.settings);
		this.nodeSettings.put("camunda.bpm.job-execution.enabled", "true");
		this.nodeSettings.put("camunda.bpm.job-execution.lock-time-in-millis", Long.toString(LOCK.toMillis()));
	}

	@AfterAll
	void stop() throws Exception {
		this.timings.forEach(System.out::println);
		if (this.env != null) {
			this.env.close();
		}
	}

	@Test
	@Order(1)
	void theSameNodeStartedAgainFinishesADeployKilledAtEachPoint(@TempDir Path dir) throws Exception {
		deployWithKills(dir, true);
	}

	@Test
	@Order(2)
	void theOtherNodeFinishesADeployWhoseNodeIsKilledAtEachPoint(@TempDir Path dir) throws Exception {
		deployWithKills(dir, false);
	}

	private void deployWithKills(Path dir, boolean sameNode) throws Exception {
		String variant = sameNode ? "same node restarted" : "other node";
		try (ServiceNodes nodes = new ServiceNodes(dir, this.nodeSettings, this.env.database);
				ProcessArgvWatch argv = new ProcessArgvWatch(secrets())) {
			nodes.start("node-1");
			if (!sameNode) {
				nodes.start("node-2");
			}
			StandInAppServer current = servingNow();
			if (current == null) {
				// a first deploy, without kills, so that a healthy server serves
				this.env.green.serve("base");
				this.env.heat.knobs(Map.of("fake_server_ip", ip(this.env.green)));
				assertThat(awaitEnd(startDeploy(nodes, "base"))).containsEntry("outcome", "DEPLOYED");
				current = this.env.green;
			}
			StandInAppServer next = (current == this.env.green) ? this.env.blue : this.env.green;
			String build = sameNode ? "crash-same" : "crash-other";
			List<String> stacksBefore = stackNames();
			next.serve(build);
			next.setHealthy(false);
			this.env.heat.knobs(Map.of("fake_server_ip", ip(next), "fake_server_create_secs", "6"));
			try (PollingWatch watch = frontWatch()) {
				String id = startDeploy(nodes, build);

				Awaitility.await("the new stack is being created")
					.atMost(Duration.ofSeconds(60))
					.pollInterval(Duration.ofMillis(20))
					.until(() -> this.env.service.bean(HeatStacks.class)
						.listNumbered("qa", this.env.prefix)
						.stream()
						.anyMatch((stack) -> !stacksBefore.contains(stack.ref().name())
								&& stack.status() == StackStatus.CREATE_IN_PROGRESS));
				killAndGoOn(nodes, id, "waiting for the stack", sameNode);

				Awaitility.await("the health checks of the new server")
					.atMost(Duration.ofSeconds(90))
					.pollInterval(Duration.ofMillis(20))
					.until(() -> finished(id, "Task_CheckHealth") >= 2);
				killAndGoOn(nodes, id, "waiting for health", sameNode);
				next.setHealthy(true);

				Awaitility.await("the switch to the new server")
					.atMost(Duration.ofSeconds(90))
					.pollInterval(Duration.ofMillis(20))
					.until(() -> next.address().equals(this.env.front.target()));
				killAndGoOn(nodes, id, "right after the switch", sameNode);

				Map<String, Object> record = awaitEnd(id);
				this.replacement.get();
				assertThat(record).as(variant).containsEntry("outcome", "DEPLOYED").containsEntry("build", build);
				List<String> newStacks = new ArrayList<>(stackNames());
				newStacks.removeAll(stacksBefore);
				assertThat(newStacks).as("%s: exactly one new stack for the run", variant)
					.containsExactly((String) record.get("stackName"));
				assertThat(this.env.front.target()).isEqualTo(next.address());
				assertThat(this.env.front.served()).contains("\"build\":\"" + build + "\"");
				assertThat(watch.problems()).as("%s: the web front pointed at an unhealthy server", variant).isEmpty();
				assertThat(watch.reads()).as("the watch read the target all along").isGreaterThan(100);
			}
			assertNothingLeft(nodes, argv, variant);
		}
	}

	/**
	 * kill -9 of the node working on the deploy; then the same node is started again, or
	 * the other one takes over (and a replacement is started for the next kill).
	 */
	private void killAndGoOn(ServiceNodes nodes, String id, String point, boolean sameNode) throws Exception {
		this.replacement.get();
		String victim = nodes.workingOn(id).orElse(nodes.names().get(0));
		Instant killedAt = Instant.now();
		nodes.kill(victim);
		Duration resumed;
		if (sameNode) {
			nodes.start(victim);
			resumed = nodes.awaitResumed(id, killedAt, LOCK.multipliedBy(4));
		}
		else {
			resumed = nodes.awaitResumed(id, killedAt, LOCK.multipliedBy(4));
			this.replacement = nodes.startLater("node-" + (++this.nodesStarted));
		}
		this.timings.add(String.format("kill -9 to resumption: deploy-replace, %s, %s: %.1f s (job lock %d s)", point,
				sameNode ? "same node restarted" : "other node", resumed.toMillis() / 1000.0, LOCK.toSeconds()));
	}

	private void assertNothingLeft(ServiceNodes nodes, ProcessArgvWatch argv, String variant) throws Exception {
		assertThat(nodes.leftovers(secrets())).as(variant).isEmpty();
		assertThat(argv.leaks()).as("%s: argv holding a secret", variant).isEmpty();
		this.timings.add(variant + ": "
				+ (nodes.logs().contains("already exists (id")
						? "the create step ran again after the kill and found the stack it had made"
						: "the create step had finished before the kill"));
	}

	private List<String> secrets() {
		return this.env.settings.entrySet()
			.stream()
			.filter((entry) -> entry.getKey().endsWith("password"))
			.map(Map.Entry::getValue)
			.toList();
	}

	private static String ip(StandInAppServer server) {
		return server.address().substring(0, server.address().indexOf(':'));
	}

	private StandInAppServer servingNow() throws Exception {
		String target;
		try {
			target = this.env.front.target();
		}
		catch (IllegalStateException noTargetYet) {
			return null;
		}
		if (target.equals(this.env.blue.address())) {
			return this.env.blue;
		}
		return target.equals(this.env.green.address()) ? this.env.green : null;
	}

	private String startDeploy(ServiceNodes nodes, String build) {
		HttpResponse<String> started = nodes.any()
			.client()
			.postJson("/engine-rest/process-definition/key/deploy-replace/start",
					"{\"variables\":{\"environment\":{\"value\":\"qa\"},\"build\":{\"value\":\"" + build + "\"}}}",
					"admin", this.env.adminPassword());
		assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
		return ServiceClient.idOf(started);
	}

	private long finished(String id, String activity) {
		return history().createHistoricActivityInstanceQuery()
			.processInstanceId(id)
			.activityId(activity)
			.finished()
			.count();
	}

	private HistoryService history() {
		return this.env.service.bean(ProcessEngine.class).getHistoryService();
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> awaitEnd(String id) throws Exception {
		Awaitility.await("the end of deploy " + id)
			.atMost(Duration.ofMinutes(3))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> history().createHistoricProcessInstanceQuery().processInstanceId(id).finished().count() == 1);
		HttpResponse<String> record = this.env.client.get("/api/deployments/" + id, "jenkins",
				LoopbackDeployEnvironment.JENKINS_PASSWORD);
		assertThat(record.statusCode()).isEqualTo(200);
		return new ObjectMapper().readValue(record.body(), Map.class);
	}

	private List<String> stackNames() {
		return this.env.service.bean(HeatStacks.class)
			.listNumbered("qa", this.env.prefix)
			.stream()
			.filter((stack) -> stack.status() != StackStatus.DELETE_IN_PROGRESS
					&& stack.status() != StackStatus.DELETE_COMPLETE)
			.map((stack) -> stack.ref().name())
			.toList();
	}

	/**
	 * Reads the web front's target every 20 ms: wrong whenever it points at a server that
	 * is unhealthy at that moment.
	 */
	private PollingWatch frontWatch() {
		return new PollingWatch("front-watch", Duration.ofMillis(20), () -> {
			String target = this.env.front.target();
			for (StandInAppServer server : List.of(this.env.blue, this.env.green)) {
				if (server.address().equals(target) && !server.isHealthy()) {
					return "the web front points at " + target + ", which is unhealthy";
				}
			}
			return null;
		});
	}

}
