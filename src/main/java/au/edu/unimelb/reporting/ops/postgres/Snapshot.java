package au.edu.unimelb.reporting.ops.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/**
 * An open, exported snapshot ({@link PostgresDatabases#exportSnapshot}); closing it ends
 * the transaction that holds it.
 */
public final class Snapshot implements AutoCloseable {

	private final Connection connection;

	private final String name;

	private final PostgresSessions sessions;

	Snapshot(Connection connection, String name, PostgresSessions sessions) {
		this.connection = connection;
		this.name = name;
		this.sessions = sessions;
	}

	/** The name to pass to {@code pg_dump --snapshot}. */
	public String name() {
		return this.name;
	}

	/** Counts the rows of every table as the snapshot sees them. */
	public Map<String, Long> rowCounts() {
		try {
			return this.sessions.countRows(this.connection);
		}
		catch (SQLException ex) {
			throw PostgresSessions.failure("count rows in the snapshot", ex);
		}
	}

	@Override
	public void close() {
		try {
			this.connection.rollback();
		}
		catch (SQLException ex) {
			// the session ends anyway
		}
		PostgresSessions.closeQuietly(this.connection);
	}

}
