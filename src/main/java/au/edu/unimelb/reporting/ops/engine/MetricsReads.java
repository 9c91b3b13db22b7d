package au.edu.unimelb.reporting.ops.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Reads what the Prometheus gauges show, off the scrape's thread. Each feature's metrics
 * register a read here; one daemon thread runs every read when the service is ready and
 * then every {@link #REFRESH}, and the gauges only show the values last read. So a scrape
 * never waits for the database.
 *
 * <p>
 * The reads have a database pool of their own, of one connection: waiting for it, or for
 * a new one, gives up after {@link #QUERY_TIMEOUT}, as does each query, and on PostgreSQL
 * a connection that stops answering (a network that drops packets) is given up after
 * {@link #SOCKET_TIMEOUT}. A pool the engine's steps have used up, a locked table or a
 * lost network holds this thread only, and never for long.
 *
 * <p>
 * A read that fails, whatever the failure, keeps its last values, logs one line and is
 * tried again at the next round; it never stops the others or the rounds. Since kept
 * values look like fresh ones, {@code reporting_metrics_read_age_seconds{read}} says how
 * long ago each read last succeeded (counted from the start until its first success) and
 * {@code reporting_metrics_read_failures_total{read}} counts its failures: the alert
 * {@code ReportingMetricsStale} fires on the age.
 */
@Component
public class MetricsReads implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(MetricsReads.class);

	public static final Duration REFRESH = Duration.ofSeconds(10);

	/** The longest one query of the metrics, or the wait for its connection, may take. */
	public static final Duration QUERY_TIMEOUT = Duration.ofSeconds(2);

	/** The longest a PostgreSQL connection of the metrics may stay silent. */
	static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(10);

	private final DataSource dataSource;

	private final HikariDataSource ownPool;

	private final MeterRegistry registry;

	private final Clock clock;

	private final Instant started;

	private final List<Read> reads = new CopyOnWriteArrayList<>();

	private final Map<String, Instant> lastSuccess = new ConcurrentHashMap<>();

	private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread reader = new Thread(task, "ops-metrics-reads");
		reader.setDaemon(true);
		return reader;
	});

	@Autowired
	MetricsReads(DataSource dataSource, MeterRegistry registry, ObjectProvider<Clock> clock) {
		this(dataSource, registry, clock.getIfAvailable(Clock::systemUTC));
	}

	/**
	 * @param dataSource the service's database: a pool of one connection to the same
	 * database is made from it when it is a Hikari pool (as Spring Boot makes it),
	 * otherwise it is used as it is
	 */
	MetricsReads(DataSource dataSource, MeterRegistry registry, Clock clock) {
		this.ownPool = (dataSource instanceof HikariDataSource main) ? ownPool(main) : null;
		this.dataSource = (this.ownPool != null) ? this.ownPool : dataSource;
		this.registry = registry;
		this.clock = clock;
		this.started = clock.instant();
	}

	private static HikariDataSource ownPool(HikariDataSource main) {
		HikariDataSource pool = new HikariDataSource();
		pool.setPoolName("ops-metrics");
		pool.setJdbcUrl(main.getJdbcUrl());
		pool.setUsername(main.getUsername());
		pool.setPassword(main.getPassword());
		if (main.getDriverClassName() != null) {
			pool.setDriverClassName(main.getDriverClassName());
		}
		pool.setMaximumPoolSize(1);
		pool.setMinimumIdle(0);
		pool.setConnectionTimeout(QUERY_TIMEOUT.toMillis());
		pool.setValidationTimeout(Math.min(1000, QUERY_TIMEOUT.toMillis()));
		// no connection before the first read: a database down at the start stops
		// nothing
		pool.setInitializationFailTimeout(-1);
		pool.setReadOnly(true);
		if (main.getJdbcUrl() != null && main.getJdbcUrl().startsWith("jdbc:postgresql:")) {
			pool.addDataSourceProperty("connectTimeout", Long.toString(QUERY_TIMEOUT.toSeconds()));
			pool.addDataSourceProperty("socketTimeout", Long.toString(SOCKET_TIMEOUT.toSeconds()));
		}
		return pool;
	}

	/**
	 * A JDBC template on the metrics' pool whose queries give up after
	 * {@link #QUERY_TIMEOUT}.
	 */
	public JdbcTemplate jdbc() {
		return bounded(this.dataSource);
	}

	public static JdbcTemplate bounded(DataSource dataSource) {
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		jdbc.setQueryTimeout((int) QUERY_TIMEOUT.toSeconds());
		return jdbc;
	}

	/**
	 * Runs the read when the service is ready and every {@link #REFRESH} after.
	 * @param name the read's label in {@code reporting_metrics_read_*{read}}
	 * @param what what it reads, for the log
	 */
	public void add(String name, String what, Runnable read) {
		Counter failures = Counter.builder("reporting.metrics.read.failures")
			.description("Reads of the metrics' values from the database that failed (the last values stayed)")
			.tag("read", name)
			.register(this.registry);
		Gauge.builder("reporting.metrics.read.age", this, (reads) -> reads.age(name))
			.description("Time since the read last succeeded (since the start, before its first success)")
			.baseUnit("seconds")
			.tag("read", name)
			.register(this.registry);
		this.reads.add(new Read(name, what, read, failures));
	}

	/** Runs every read soon, on the metrics' thread (after a run that changed them). */
	public void soon() {
		try {
			this.thread.execute(this::readAll);
		}
		catch (RejectedExecutionException ex) {
			// stopping
		}
	}

	@EventListener(ApplicationReadyEvent.class)
	void started() {
		this.thread.scheduleWithFixedDelay(this::readAll, 0, REFRESH.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * Runs each read once. Nothing it throws escapes: a scheduled task that threw once
	 * would never run again.
	 */
	void readAll() {
		for (Read read : this.reads) {
			try {
				read.read().run();
				this.lastSuccess.put(read.name(), this.clock.instant());
			}
			catch (Throwable ex) { // NOPMD an Error too: the next round tries again
				read.failures().increment();
				log.warn("The metrics could not read {}; the last values stay: {}", read.what(), ex.toString());
			}
		}
	}

	private double age(String name) {
		Instant since = this.lastSuccess.getOrDefault(name, this.started);
		return Math.max(0, Duration.between(since, this.clock.instant()).toMillis() / 1000.0);
	}

	@Override
	public void destroy() {
		this.thread.shutdownNow();
		if (this.ownPool != null) {
			this.ownPool.close();
		}
	}

	private record Read(String name, String what, Runnable read, Counter failures) {
	}

}
