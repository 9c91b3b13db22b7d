package au.edu.unimelb.reporting.ops.deploy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings;
import au.edu.unimelb.reporting.ops.engine.AfterCommit;
import au.edu.unimelb.reporting.ops.engine.MetricsReads;
import au.edu.unimelb.reporting.ops.engine.RunEnd;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Prometheus metrics of the deploys (deploy-replace runs; rollbacks are not deploys):
 * <ul>
 * <li>{@code reporting_deploys_total{environment,outcome}} and
 * {@code reporting_deploy_duration_seconds{environment}} (a histogram, start of the run
 * to its end), counted when the run's end commits;</li>
 * <li>{@code reporting_environment_serving_info{environment,build,stack}} = 1 for what
 * serves now, {@code reporting_environment_last_switch_age_seconds{environment}},
 * {@code reporting_deploy_running_age_seconds{environment}} (0 when none runs), read from
 * the deployment records by {@link MetricsReads} (off the scrape's thread, queries
 * bounded) every {@link MetricsReads#REFRESH} and soon after a deploy or rollback ends;
 * when the database fails the scrape shows the last values read; a deploy whose run was
 * deleted from the engine no longer counts as running;</li>
 * <li>{@code reporting_deploy_deadline_seconds{environment}}: the longest a deploy can
 * take by the settings, its retries included (see {@link #deadline}), for an alert to
 * compare with the running age.</li>
 * </ul>
 */
@Component
class DeployMetrics {

	private static final Duration[] BUCKETS = { Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5),
			Duration.ofMinutes(10), Duration.ofMinutes(15), Duration.ofMinutes(20), Duration.ofMinutes(30),
			Duration.ofMinutes(45), Duration.ofMinutes(60), Duration.ofMinutes(90) };

	/**
	 * Each phase of a deploy and the activity that begins it: a phase lasts from its
	 * activity's first start to the next phase's (the last one to the run's end).
	 */
	static final Map<String, String> PHASES = phases();

	private static final Duration[] PHASE_BUCKETS = { Duration.ofSeconds(10), Duration.ofSeconds(30),
			Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10),
			Duration.ofMinutes(20), Duration.ofMinutes(30) };

	private final MeterRegistry registry;

	private final DeploymentRecords records;

	private final Clock clock;

	private final MultiGauge serving;

	/**
	 * The retry cycle of every step of deploy-replace (DeployMetricsTest checks the
	 * model).
	 */
	static final String RETRY_CYCLE = "R3/PT10S";

	/** 1 try and the 3 retries of {@link #RETRY_CYCLE}. */
	static final int TRIES = 4;

	/** The pause between tries of {@link #RETRY_CYCLE}. */
	static final Duration RETRY_PAUSE = Duration.ofSeconds(10);

	/** The steps with a retry cycle that one run of deploy-replace passes at most. */
	static final int STEPS = 10;

	private volatile Snapshot snapshot = new Snapshot(Map.of(), Map.of());

	/** Reads again once a run ends; none in the process tests, which read at once. */
	private MetricsReads reads;

	@Autowired
	DeployMetrics(MeterRegistry registry, MetricsReads reads, DeploySettings settings,
			EnvironmentsSettings environments, ObjectProvider<Clock> clock) {
		// the same records, with the metrics' bounded queries
		this(registry, new DeploymentRecords(reads.jdbc()), settings, environments,
				clock.getIfAvailable(Clock::systemUTC));
		this.reads = reads;
		reads.add("deployments", "the deployment records", this::refresh);
	}

	DeployMetrics(MeterRegistry registry, DeploymentRecords records, DeploySettings settings,
			EnvironmentsSettings environments, Clock clock) {
		this.registry = registry;
		this.records = records;
		this.clock = clock;
		this.serving = MultiGauge.builder("reporting.environment.serving.info")
			.description("1 for the build and stack that serve the environment now")
			.register(registry);
		for (String environment : EnvironmentsSettings.NAMES) {
			for (String outcome : List.of(DeployReplaceProcess.DEPLOYED, DeployReplaceProcess.FAILED,
					RunEnd.CANCELLED)) {
				deploys(environment, outcome);
			}
			// there from the start, so the dashboard's quantiles have a series before the
			// first deploy
			duration(environment);
			Gauge.builder("reporting.environment.last.switch.age", this, (m) -> m.lastSwitchAge(environment))
				.description("Time since the web front of the environment switched to what serves now")
				.baseUnit("seconds")
				.tag("environment", environment)
				.register(registry);
			Gauge.builder("reporting.deploy.running.age", this, (m) -> m.runningAge(environment))
				.description("How long the deploy that runs in the environment has run, 0 when none runs")
				.baseUnit("seconds")
				.tag("environment", environment)
				.register(registry);
			environments.find(environment)
				.ifPresent(
						(found) -> Gauge
							.builder("reporting.deploy.deadline",
									() -> deadline(settings, environments, environment,
											found.stack().createTimeoutMinutes())
										.toSeconds())
							.description("The longest a deploy of the environment may take by the settings")
							.baseUnit("seconds")
							.tag("environment", environment)
							.register(registry));
		}
	}

	private Timer duration(String environment) {
		return Timer.builder("reporting.deploy.duration")
			.description("How long deploys took, start to end")
			.tag("environment", label(environment))
			.serviceLevelObjectives(BUCKETS)
			.register(this.registry);
	}

	private static Map<String, String> phases() {
		Map<String, String> phases = new LinkedHashMap<>();
		phases.put("stack_create", DeployReplaceProcess.TASK_CREATE_STACK);
		phases.put("health_wait", DeployReplaceProcess.TASK_READ_HOST_KEYS);
		phases.put("switch", DeployReplaceProcess.TASK_SWITCH_WEB_FRONT);
		phases.put("public_check", DeployReplaceProcess.TASK_CHECK_PUBLIC_URL);
		phases.put("retire", DeployReplaceProcess.TASK_RETIRE_OLD_STACKS);
		return phases;
	}

	/**
	 * How long each phase of a run took.
	 * @param firstStarts when each activity of the run first started (its history)
	 * @param end when the run ended
	 * @return by phase, in order, each phase that began
	 */
	static Map<String, Duration> phaseDurations(Map<String, Instant> firstStarts, Instant end) {
		Map<String, Duration> durations = new LinkedHashMap<>();
		List<Map.Entry<String, String>> phases = new ArrayList<>(PHASES.entrySet());
		for (int i = 0; i < phases.size(); i++) {
			Instant start = firstStarts.get(phases.get(i).getValue());
			if (start == null) {
				continue;
			}
			Instant next = end;
			for (int j = i + 1; j < phases.size(); j++) {
				if (firstStarts.containsKey(phases.get(j).getValue())) {
					next = firstStarts.get(phases.get(j).getValue());
					break;
				}
			}
			durations.put(phases.get(i).getKey(), Duration.between(start, next));
		}
		return durations;
	}

	/**
	 * How long a deploy may take by the settings, so that one past it is stuck:
	 * <ul>
	 * <li>the waits (the stack's create timeout, the host keys, health, public check and
	 * retire timeouts), once each: each is a deadline its step sets once, which a retry
	 * of the step that waits does not move;</li>
	 * <li>and for each of the {@value #STEPS} steps of a run, {@value #TRIES} tries of
	 * its longest call to another machine (a cloud request, an SSH call or a probe, by
	 * {@link DeployStepTimeouts}) and the pauses between them (each step's retry cycle is
	 * {@value #RETRY_CYCLE}).</li>
	 * </ul>
	 */
	static Duration deadline(DeploySettings settings, EnvironmentsSettings environments, String environment,
			int createTimeoutMinutes) {
		String prefix = "ops.environments." + environment + ".";
		Duration longestCall = new DeployStepTimeouts(settings, environments).stepTimeouts()
			.entrySet()
			.stream()
			.filter((call) -> call.getKey().startsWith(prefix) || call.getKey().startsWith("ops.deploy."))
			.map(Map.Entry::getValue)
			.max(Duration::compareTo)
			.orElse(Duration.ZERO);
		Duration waits = Duration.ofMinutes(createTimeoutMinutes)
			.plus(settings.hostKeysTimeout())
			.plus(settings.healthTimeout())
			.plus(settings.publicCheckTimeout())
			.plus(settings.retireTimeout());
		Duration eachStep = longestCall.multipliedBy(TRIES).plus(RETRY_PAUSE.multipliedBy(TRIES - 1));
		return waits.plus(eachStep.multipliedBy(STEPS));
	}

	/**
	 * Counts a deploy that ended, once its end commits (at once outside a transaction),
	 * and reads the records again for the gauges.
	 * @param startedAt when the run started, or {@code null} when unknown (no duration is
	 * recorded)
	 */
	void deployEnded(String environment, String outcome, Instant startedAt, Map<String, Instant> firstStarts) {
		Instant end = this.clock.instant();
		Runnable count = () -> {
			deploys(environment, outcome).increment();
			if (startedAt != null) {
				duration(environment).record(Duration.between(startedAt, end));
			}
			if (DeployReplaceProcess.DEPLOYED.equals(outcome)) {
				phaseDurations(firstStarts, end)
					.forEach((phase, duration) -> Timer.builder("reporting.deploy.phase.duration")
						.description("How long each phase of the deploys that deployed took")
						.tag("environment", label(environment))
						.tag("phase", phase)
						.serviceLevelObjectives(PHASE_BUCKETS)
						.register(this.registry)
						.record(duration));
			}
			readAgain();
		};
		AfterCommit.run(count);
	}

	/**
	 * Reads the records again for the gauges once the end of a run that may have switched
	 * (a rollback) commits.
	 */
	void rollbackEnded() {
		AfterCommit.run(this::readAgain);
	}

	/**
	 * Reads the records for the gauges (as {@link MetricsReads} does when the service is
	 * ready).
	 */
	void started() {
		refresh();
	}

	private void readAgain() {
		if (this.reads != null) {
			this.reads.soon();
		}
		else {
			refresh();
		}
	}

	/**
	 * Each environment's usual outcomes start at 0, so that increase() sees the first.
	 */
	private Counter deploys(String environment, String outcome) {
		return Counter.builder("reporting.deploys")
			.description("Deploys that ended, by outcome")
			.tag("environment", label(environment))
			.tag("outcome", label(outcome))
			.register(this.registry);
	}

	private static String label(String value) {
		return (value != null) ? value.toLowerCase(Locale.ROOT) : "unknown";
	}

	private double lastSwitchAge(String environment) {
		return Optional.ofNullable(this.snapshot.serving().get(environment))
			.map((serving) -> age(serving.servedAt()))
			.orElse(Double.NaN);
	}

	private double runningAge(String environment) {
		Instant since = this.snapshot.runningSince().get(environment);
		return (since != null) ? age(since) : 0;
	}

	private double age(Instant since) {
		return (since != null) ? Math.max(0, Duration.between(since, this.clock.instant()).toMillis() / 1000.0)
				: Double.NaN;
	}

	/**
	 * Reads the records; a failure is thrown to {@link MetricsReads}, and the last values
	 * stay.
	 */
	synchronized void refresh() {
		Map<String, DeploymentRecords.Serving> serving = new HashMap<>();
		for (DeploymentRecords.Serving row : this.records.servingNow()) {
			serving.merge(row.environment(), row, (a, b) -> (a.servedAt().isAfter(b.servedAt()) ? a : b));
		}
		this.snapshot = new Snapshot(serving, this.records.deploysRunningSince());
		List<MultiGauge.Row<?>> rows = new ArrayList<>();
		for (DeploymentRecords.Serving row : serving.values()) {
			rows.add(MultiGauge.Row.of(
					Tags.of("environment", row.environment(), "build", text(row.build()), "stack", text(row.stack())),
					1));
		}
		// without overwrite: a row that stays is not removed and added again, which a
		// scrape in between would miss
		this.serving.register(rows, false);
	}

	private static String text(String value) {
		return (value != null) ? value : "";
	}

	private record Snapshot(Map<String, DeploymentRecords.Serving> serving, Map<String, Instant> runningSince) {
	}

}
