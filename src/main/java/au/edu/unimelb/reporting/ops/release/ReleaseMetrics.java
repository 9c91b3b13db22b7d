package au.edu.unimelb.reporting.ops.release;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import au.edu.unimelb.reporting.ops.engine.AfterCommit;
import au.edu.unimelb.reporting.ops.engine.MetricsReads;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.history.HistoricActivityInstance;
import org.camunda.bpm.engine.impl.context.Context;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Prometheus metrics of the releases:
 * <ul>
 * <li>{@code reporting_uat_tasks_waiting} and
 * {@code reporting_uat_oldest_waiting_age_seconds} (0 when none): the open UAT tasks, and
 * how long the release waiting longest has been in UAT (since its UAT began, across its
 * partial approvals), read from the engine's tables by {@link MetricsReads} (off the
 * scrape's thread, as the service and not as the scrape's login, queries bounded; a
 * failing database leaves the last values);</li>
 * <li>{@code reporting_release_decisions_total{outcome}} (approved, rejected, expired,
 * qa_changed; a partial approval is no decision) and
 * {@code reporting_release_decision_duration_seconds} (a histogram: QA deployed, that is
 * the release's QA deploy ended, to the decision), counted when the decision
 * commits.</li>
 * </ul>
 */
@Component
class ReleaseMetrics {

	// every open UAT task of every release, whoever may see it
	private static final String UAT_TASKS = "SELECT COUNT(*) FROM ACT_RU_TASK t "
			+ "JOIN ACT_RE_PROCDEF p ON p.ID_ = t.PROC_DEF_ID_ WHERE p.KEY_ = ? AND t.TASK_DEF_KEY_ = ?";

	// a release waits from the start of its UAT, not from its latest task: each partial
	// approval makes a new task
	private static final String UAT_SINCE = "SELECT MIN(START_TIME_) FROM ACT_HI_ACTINST "
			+ "WHERE PROC_DEF_KEY_ = ? AND ACT_ID_ = ? AND END_TIME_ IS NULL";

	static final List<String> DECISIONS = List.of(ReleaseProcess.APPROVED, ReleaseProcess.REJECTED,
			ReleaseProcess.EXPIRED, ReleaseProcess.QA_CHANGED);

	private static final Duration[] BUCKETS = { Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(4),
			Duration.ofHours(12), Duration.ofDays(1), Duration.ofDays(2), Duration.ofDays(3), Duration.ofDays(5),
			Duration.ofDays(7), Duration.ofDays(14) };

	private final MeterRegistry registry;

	private final JdbcTemplate jdbc;

	private final Clock clock;

	/** Reads again once a decision commits; none in the process tests. */
	private MetricsReads reads;

	private volatile long waiting;

	private volatile Instant oldest;

	@Autowired
	ReleaseMetrics(MeterRegistry registry, MetricsReads reads, ObjectProvider<Clock> clock) {
		this(registry, reads.jdbc(), clock.getIfAvailable(Clock::systemUTC));
		this.reads = reads;
		reads.add("uat", "the UAT tasks", this::refresh);
	}

	/**
	 * @param jdbc the engine's database, or {@code null} when there is none (the process
	 * tests: no task is counted)
	 */
	ReleaseMetrics(MeterRegistry registry, JdbcTemplate jdbc, Clock clock) {
		this.registry = registry;
		this.jdbc = jdbc;
		this.clock = clock;
		Gauge.builder("reporting.uat.tasks.waiting", this, (m) -> m.waiting)
			.description("Open UAT approval tasks")
			.register(registry);
		Gauge.builder("reporting.uat.oldest.waiting.age", this, ReleaseMetrics::oldestAge)
			.description("How long the release waiting longest has been in UAT, 0 when none")
			.baseUnit("seconds")
			.register(registry);
		for (String decision : DECISIONS) {
			decisions(decision);
		}
	}

	/**
	 * Counts a decision once it commits.
	 * @param outcome {@link #DECISIONS} count, others (a partial approval) do not
	 * @param qaDeployedAt when the release's QA deploy ended, or {@code null} (no
	 * duration is recorded)
	 */
	void decided(String outcome, Instant qaDeployedAt) {
		if (!DECISIONS.contains(outcome)) {
			return;
		}
		Instant at = this.clock.instant();
		AfterCommit.run(() -> {
			decisions(outcome).increment();
			if (qaDeployedAt != null) {
				Timer.builder("reporting.release.decision.duration")
					.description("From QA deployed to the UAT decision")
					.serviceLevelObjectives(BUCKETS)
					.register(this.registry)
					.record(Duration.between(qaDeployedAt, at));
			}
			if (this.reads != null) {
				this.reads.soon();
			}
		});
	}

	/**
	 * @return when the call activity that deployed the release's build to QA last ended,
	 * from the history (written in an earlier transaction), or {@code null}
	 */
	static Instant qaDeployedAt(DelegateExecution execution) {
		List<HistoricActivityInstance> ended = Context.getCommandContext()
			.runWithoutAuthorization(() -> execution.getProcessEngineServices()
				.getHistoryService()
				.createHistoricActivityInstanceQuery()
				.processInstanceId(execution.getProcessInstanceId())
				.activityId(ReleaseProcess.CALL_DEPLOY_QA)
				.finished()
				.orderByHistoricActivityInstanceEndTime()
				.desc()
				.listPage(0, 1));
		return ended.isEmpty() ? null : ended.get(0).getEndTime().toInstant();
	}

	private Counter decisions(String outcome) {
		return Counter.builder("reporting.release.decisions")
			.description("UAT decisions on releases, by outcome")
			.tag("outcome", outcome.toLowerCase(Locale.ROOT))
			.register(this.registry);
	}

	private double oldestAge() {
		Instant since = this.oldest;
		return (since != null) ? Math.max(0, Duration.between(since, this.clock.instant()).toMillis() / 1000.0) : 0;
	}

	/**
	 * Reads the open UAT tasks; a failure is thrown to {@link MetricsReads}, and the last
	 * values stay.
	 */
	synchronized void refresh() {
		if (this.jdbc == null) {
			return;
		}
		Long count = this.jdbc.queryForObject(UAT_TASKS, Long.class, ReleaseProcess.KEY, ReleaseProcess.TASK_UAT);
		Timestamp since = this.jdbc.queryForObject(UAT_SINCE, Timestamp.class, ReleaseProcess.KEY,
				ReleaseProcess.SUBPROCESS_UAT);
		this.waiting = (count != null) ? count : 0;
		this.oldest = (since != null) ? since.toInstant() : null;
	}

}
