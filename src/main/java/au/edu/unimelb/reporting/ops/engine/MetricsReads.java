package au.edu.unimelb.reporting.ops.engine;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Reads what the Prometheus gauges show, off the scrape's thread. Each feature's metrics
 * register a read here; one daemon thread runs every read when the service is ready and
 * then every {@link #REFRESH}, and the gauges only show the values last read. So a scrape
 * never waits for the database, and a slow or locked database holds this thread only, for
 * at most {@link #QUERY_TIMEOUT} per query ({@link #jdbc()}). A read that fails keeps its
 * last values and logs one line; the next one tries again.
 */
@Component
public class MetricsReads implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(MetricsReads.class);

	public static final Duration REFRESH = Duration.ofSeconds(10);

	/** The longest one query of the metrics may take. */
	public static final Duration QUERY_TIMEOUT = Duration.ofSeconds(2);

	private final DataSource dataSource;

	private final List<Read> reads = new CopyOnWriteArrayList<>();

	private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread reader = new Thread(task, "ops-metrics-reads");
		reader.setDaemon(true);
		return reader;
	});

	public MetricsReads(DataSource dataSource) {
		this.dataSource = dataSource;
	}

	/** A JDBC template whose queries are cut off after {@link #QUERY_TIMEOUT}. */
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
	 * @param what what it reads, for the log
	 */
	public void add(String what, Runnable read) {
		this.reads.add(new Read(what, read));
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

	void readAll() {
		for (Read read : this.reads) {
			try {
				read.read().run();
			}
			catch (RuntimeException ex) {
				log.warn("The metrics could not read {}; the last values stay: {}", read.what(), ex.getMessage());
			}
		}
	}

	@Override
	public void destroy() {
		this.thread.shutdownNow();
	}

	private record Read(String what, Runnable read) {
	}

}
