package au.edu.unimelb.reporting.ops.backup;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;

import au.edu.unimelb.reporting.ops.support.TestPostgres;

/**
 * Watches, from a thread of its own, what a client of the QA database sees while a swap
 * runs: it connects again and again under QA's name and asks whether any table is there.
 * The longest stretch in which it could not connect or saw no table is the time QA was
 * unavailable (from the start of the first probe that failed to the start of the next
 * probe that succeeded).
 */
final class QaAvailability implements AutoCloseable {

	private final String url;

	private final Thread thread;

	private volatile boolean stopped;

	private volatile long longestNanos;

	private volatile int probes;

	QaAvailability(String database) {
		this.url = TestPostgres.existing(database).jdbcUrl();
		this.thread = new Thread(this::watch, "qa-availability");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	private void watch() {
		Properties properties = new Properties();
		properties.setProperty("user", TestPostgres.existing("x").user());
		properties.setProperty("password", TestPostgres.existing("x").password());
		properties.setProperty("connectTimeout", "5");
		properties.setProperty("socketTimeout", "5");
		long failingSince = -1;
		while (!this.stopped) {
			long probeStarted = System.nanoTime();
			boolean ok;
			try (Connection connection = DriverManager.getConnection(this.url, properties);
					Statement sql = connection.createStatement();
					ResultSet rs = sql.executeQuery("SELECT EXISTS (SELECT 1 FROM pg_tables "
							+ "WHERE schemaname NOT IN ('pg_catalog', 'information_schema'))")) {
				ok = rs.next() && rs.getBoolean(1);
			}
			catch (Exception ex) {
				ok = false;
			}
			this.probes++;
			if (!ok && failingSince < 0) {
				failingSince = probeStarted;
			}
			else if (ok && failingSince >= 0) {
				this.longestNanos = Math.max(this.longestNanos, probeStarted - failingSince);
				failingSince = -1;
			}
		}
		if (failingSince >= 0) {
			this.longestNanos = Math.max(this.longestNanos, System.nanoTime() - failingSince);
		}
	}

	/** Stops watching; the longest time QA was unavailable, in seconds. */
	double stop() throws InterruptedException {
		this.stopped = true;
		this.thread.join();
		return this.longestNanos / 1e9;
	}

	int probes() {
		return this.probes;
	}

	@Override
	public void close() throws InterruptedException {
		stop();
	}

}
