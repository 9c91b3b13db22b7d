package au.edu.unimelb.reporting.ops.engine;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;

/**
 * Prometheus metrics of the engine, read from its tables by {@link MetricsReads} (off the
 * scrape's thread, queries bounded; a failing read leaves the last values):
 * <ul>
 * <li>{@code reporting_incidents_open{process}} (by process definition key; each deployed
 * process from the start, others once they have one; an incident whose process definition
 * is gone counts under {@value #NO_PROCESS}) and
 * {@code reporting_incident_oldest_age_seconds} (0 when none);</li>
 * <li>{@code reporting_jobs_due_backlog}: jobs due now, not suspended, with retries left
 * and not locked, that no executor has picked up;</li>
 * <li>{@code reporting_jobs_executed_total} and {@code reporting_jobs_failed_total}: the
 * jobs this node's executor ran that succeeded, and the tries that failed
 * ({@link LockRenewingJobExecutor}; Camunda's own job-successful and job-failed meters
 * reach its tables only every 15 minutes).</li>
 * </ul>
 */
@Component
class EngineMetrics {

	private static final Logger log = LoggerFactory.getLogger(EngineMetrics.class);

	static final String NO_PROCESS = "none";

	// an incident without a process definition (of a job or batch, or one whose
	// definition was deleted) counts too
	private static final String INCIDENTS = "SELECT p.KEY_ AS process, COUNT(*) AS open, "
			+ "MIN(i.INCIDENT_TIMESTAMP_) AS oldest FROM ACT_RU_INCIDENT i "
			+ "LEFT JOIN ACT_RE_PROCDEF p ON p.ID_ = i.PROC_DEF_ID_ GROUP BY p.KEY_";

	private static final String DUE = "SELECT COUNT(*) FROM ACT_RU_JOB WHERE SUSPENSION_STATE_ = 1 AND RETRIES_ > 0 "
			+ "AND (DUEDATE_ IS NULL OR DUEDATE_ <= ?) AND (LOCK_EXP_TIME_ IS NULL OR LOCK_EXP_TIME_ < ?)";

	private final MeterRegistry registry;

	private final JdbcTemplate jdbc;

	private final Clock clock;

	private final Set<String> processes = ConcurrentHashMap.newKeySet();

	private volatile Map<String, Long> incidents = Map.of();

	private volatile Instant oldestIncident;

	private volatile long due;

	@Autowired
	EngineMetrics(MeterRegistry registry, MetricsReads reads, ObjectProvider<LockRenewingJobExecutor> executor,
			ObjectProvider<Clock> clock) {
		this(registry, reads.jdbc(), executor.getIfAvailable(), clock.getIfAvailable(Clock::systemUTC));
		reads.add("engine", "the engine's incidents and jobs", this::refresh);
	}

	EngineMetrics(MeterRegistry registry, JdbcTemplate jdbc, LockRenewingJobExecutor executor, Clock clock) {
		this.registry = registry;
		this.jdbc = jdbc;
		this.clock = clock;
		Gauge.builder("reporting.incident.oldest.age", this, EngineMetrics::oldestIncidentAge)
			.description("Age of the oldest open incident, 0 when none")
			.baseUnit("seconds")
			.register(registry);
		Gauge.builder("reporting.jobs.due.backlog", this, (m) -> m.due)
			.description("Jobs due now, not suspended, with retries left and not locked")
			.register(registry);
		if (executor != null) {
			FunctionCounter.builder("reporting.jobs.executed", executor, LockRenewingJobExecutor::succeeded)
				.description("Jobs this node executed that succeeded")
				.register(registry);
			FunctionCounter.builder("reporting.jobs.failed", executor, LockRenewingJobExecutor::failed)
				.description("Job tries on this node that failed")
				.register(registry);
		}
	}

	/** Each deployed process shows its open incidents from the start, 0 included. */
	@EventListener(ApplicationReadyEvent.class)
	void started() {
		try {
			this.jdbc.queryForList("SELECT DISTINCT KEY_ FROM ACT_RE_PROCDEF", String.class)
				.forEach(this::incidentGauge);
		}
		catch (DataAccessException ex) {
			log.warn("The engine metrics could not read the deployed processes: {}", ex.getMessage());
		}
	}

	private void incidentGauge(String process) {
		if (this.processes.add(process)) {
			Gauge.builder("reporting.incidents.open", this, (m) -> m.incidents.getOrDefault(process, 0L))
				.description("Open incidents of the process")
				.tag("process", process)
				.register(this.registry);
		}
	}

	private double oldestIncidentAge() {
		Instant since = this.oldestIncident;
		return (since != null) ? Math.max(0, Duration.between(since, this.clock.instant()).toMillis() / 1000.0) : 0;
	}

	/**
	 * Reads the engine's tables; a failure is thrown to {@link MetricsReads}, and the
	 * last values stay.
	 */
	synchronized void refresh() {
		Instant now = this.clock.instant();
		Map<String, Long> open = new HashMap<>();
		Instant[] oldest = { null };
		this.jdbc.query(INCIDENTS, (RowCallbackHandler) (rs) -> {
			String process = rs.getString("process");
			open.merge((process != null) ? process : NO_PROCESS, rs.getLong("open"), Long::sum);
			Instant at = rs.getTimestamp("oldest").toInstant();
			if (oldest[0] == null || at.isBefore(oldest[0])) {
				oldest[0] = at;
			}
		});
		Timestamp at = Timestamp.from(now);
		Long count = this.jdbc.queryForObject(DUE, Long.class, at, at);
		this.incidents = open;
		this.oldestIncident = oldest[0];
		this.due = (count != null) ? count : 0;
		// a process deployed since the start shows once it has an incident
		open.keySet().forEach(this::incidentGauge);
	}

}
