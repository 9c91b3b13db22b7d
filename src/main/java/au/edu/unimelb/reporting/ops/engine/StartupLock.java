package au.edu.unimelb.reporting.ops.engine;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Lets one node at a time start on a PostgreSQL database. Nodes that start at the same
 * moment (all VMs booting after maintenance) would otherwise create or upgrade the schema
 * together ({@code schema.sql}, Camunda's tables) and fail on each other's half-made
 * tables. As soon as the data source exists, before anything uses it, a session-level
 * advisory lock is taken on a connection of its own; it is given back when the node is
 * ready, or its start failed, or it stops (and by PostgreSQL when the node dies). H2 (one
 * node only) takes none.
 */
class StartupLock implements BeanPostProcessor, ApplicationListener<ApplicationEvent>, DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(StartupLock.class);

	/** The advisory lock's key: "ops-start" in a long. */
	static final long KEY = 0x6f70732d7374L;

	private Connection held;

	private boolean taken;

	@Override
	public synchronized Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof DataSource dataSource && !this.taken) {
			this.taken = true;
			take(dataSource);
		}
		return bean;
	}

	private void take(DataSource dataSource) {
		try {
			Connection connection = dataSource.getConnection();
			if (!"PostgreSQL".equals(connection.getMetaData().getDatabaseProductName())) {
				connection.close();
				return;
			}
			long started = System.nanoTime();
			try (Statement sql = connection.createStatement()) {
				sql.execute("SELECT pg_advisory_lock(" + KEY + ")");
			}
			this.held = connection;
			long waited = (System.nanoTime() - started) / 1_000_000;
			if (waited > 500) {
				log.info("Waited {} ms for another node to finish starting", waited);
			}
		}
		catch (SQLException ex) {
			// the data source's own users report an unreachable database better
			log.warn("Could not take the start-up lock: {}", ex.getMessage());
		}
	}

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		if (event instanceof ApplicationReadyEvent || event instanceof ApplicationFailedEvent
				|| event instanceof ContextClosedEvent) {
			release();
		}
	}

	@Override
	public void destroy() {
		release();
	}

	private synchronized void release() {
		if (this.held == null) {
			return;
		}
		try (Connection connection = this.held) {
			try (Statement sql = connection.createStatement()) {
				sql.execute("SELECT pg_advisory_unlock(" + KEY + ")");
			}
		}
		catch (SQLException ex) {
			log.warn("Could not give back the start-up lock (PostgreSQL does when the session ends): {}",
					ex.getMessage());
		}
		this.held = null;
	}

}
