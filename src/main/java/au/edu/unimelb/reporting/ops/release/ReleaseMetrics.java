package au.edu.unimelb.reporting.ops.release;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import au.edu.unimelb.reporting.ops.engine.AfterCommit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.history.HistoricActivityInstance;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.task.TaskQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Lazy;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * Prometheus metrics of the releases:
 * <ul>
 * <li>{@code reporting_uat_tasks_waiting} and
 * {@code reporting_uat_oldest_waiting_age_seconds} (0 when none): the open UAT tasks,
 * read from the engine at most once per {@link #REFRESH} (a failing database leaves the
 * last values);</li>
 * <li>{@code reporting_release_decisions_total{outcome}} (approved, rejected, expired,
 * qa_changed; a partial approval is no decision) and
 * {@code reporting_release_decision_duration_seconds} (a histogram: QA deployed, that is
 * the release's QA deploy ended, to the decision), counted when the decision
 * commits.</li>
 * </ul>
 */
@Component
class ReleaseMetrics {

	private static final Logger log = LoggerFactory.getLogger(ReleaseMetrics.class);

	static final Duration REFRESH = Duration.ofSeconds(10);

	static final List<String> DECISIONS = List.of(ReleaseProcess.APPROVED, ReleaseProcess.REJECTED,
			ReleaseProcess.EXPIRED, ReleaseProcess.QA_CHANGED);

	private static final Duration[] BUCKETS = { Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(4),
			Duration.ofHours(12), Duration.ofDays(1), Duration.ofDays(2), Duration.ofDays(3), Duration.ofDays(5),
			Duration.ofDays(7), Duration.ofDays(14) };

	private final MeterRegistry registry;

	private final TaskService tasks;

	private final IdentityService identity;

	private final Clock clock;

	private Instant readAt;

	private long waiting;

	private Instant oldest;

	@Autowired
	ReleaseMetrics(MeterRegistry registry, @Lazy TaskService tasks, @Lazy IdentityService identity,
			ObjectProvider<Clock> clock) {
		this(registry, tasks, identity, clock.getIfAvailable(Clock::systemUTC));
	}

	ReleaseMetrics(MeterRegistry registry, TaskService tasks, Clock clock) {
		this(registry, tasks, null, clock);
	}

	/**
	 * @param identity the engine's identity service, whose caller (the scrape's login) is
	 * set aside while the tasks are counted, or {@code null} when there is none
	 */
	ReleaseMetrics(MeterRegistry registry, TaskService tasks, IdentityService identity, Clock clock) {
		this.registry = registry;
		this.tasks = tasks;
		this.identity = identity;
		this.clock = clock;
		Gauge.builder("reporting.uat.tasks.waiting", this, (m) -> m.read().waiting)
			.description("Open UAT approval tasks")
			.register(registry);
		Gauge.builder("reporting.uat.oldest.waiting.age", this, ReleaseMetrics::oldestAge)
			.description("How long the oldest open UAT approval task has waited, 0 when none")
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
			forget();
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

	/** The next scrape reads the UAT tasks again. */
	private synchronized void forget() {
		this.readAt = null;
	}

	private Counter decisions(String outcome) {
		return Counter.builder("reporting.release.decisions")
			.description("UAT decisions on releases, by outcome")
			.tag("outcome", outcome.toLowerCase(Locale.ROOT))
			.register(this.registry);
	}

	private double oldestAge() {
		Instant since = read().oldest;
		return (since != null) ? Math.max(0, Duration.between(since, this.clock.instant()).toMillis() / 1000.0) : 0;
	}

	private synchronized ReleaseMetrics read() {
		Instant now = this.clock.instant();
		if (this.readAt != null && !this.readAt.plus(REFRESH).isBefore(now)) {
			return this;
		}
		this.readAt = now;
		// The scrape runs on an HTTP thread where the engine knows the scrape's login
		// (any user may read the metrics): counted as that user, the tasks it may not see
		// would be missing, and the UAT alert could never fire. Counted as the service.
		Authentication caller = (this.identity != null) ? this.identity.getCurrentAuthentication() : null;
		if (caller != null) {
			this.identity.clearAuthentication();
		}
		try {
			this.waiting = uatTasks().count();
			List<Task> first = uatTasks().orderByTaskCreateTime().asc().listPage(0, 1);
			this.oldest = first.isEmpty() ? null : first.get(0).getCreateTime().toInstant();
		}
		catch (ProcessEngineException | DataAccessException ex) {
			log.warn("The release metrics could not read the UAT tasks: {}", ex.getMessage());
		}
		finally {
			if (caller != null) {
				this.identity.setAuthentication(caller);
			}
		}
		return this;
	}

	private TaskQuery uatTasks() {
		return this.tasks.createTaskQuery()
			.processDefinitionKey(ReleaseProcess.KEY)
			.taskDefinitionKey(ReleaseProcess.TASK_UAT);
	}

}
