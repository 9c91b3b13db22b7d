package au.edu.unimelb.reporting.ops.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings.DatabaseSettings;

/**
 * The one facade over SQL sessions to the application's PostgreSQL servers (the service's
 * own database is Spring's): an exported snapshot with the row counts the dump is taken
 * from, and the databases the QA restore creates, checks, swaps and drops. Every
 * statement has a timeout; database names are plain names (checked) and always quoted
 * ({@link PostgresSessions}).
 */
public final class PostgresDatabases {

	/**
	 * The database the service connects to for creating, renaming and dropping others.
	 */
	public static final String MAINTENANCE_DATABASE = "postgres";

	private final PostgresSessions sessions;

	/**
	 * @param timeout the limit of one statement (a row count of a big table, a
	 * {@code DROP DATABASE})
	 */
	public PostgresDatabases(Duration timeout) {
		this.sessions = new PostgresSessions(timeout);
	}

	/**
	 * Opens a read-only, repeatable-read transaction on a database and exports its
	 * snapshot, so that {@code pg_dump --snapshot} dumps exactly what its row counts see.
	 * The snapshot lives until it is closed.
	 */
	public Snapshot exportSnapshot(DatabaseSettings database) {
		Connection connection = this.sessions.connect(database, database.name());
		try {
			connection.setAutoCommit(false);
			connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
			connection.setReadOnly(true);
			String name;
			try (Statement statement = this.sessions.statement(connection);
					ResultSet rs = statement.executeQuery("SELECT pg_export_snapshot()")) {
				rs.next();
				name = rs.getString(1);
			}
			return new Snapshot(connection, name, this.sessions);
		}
		catch (SQLException ex) {
			PostgresSessions.closeQuietly(connection);
			throw PostgresSessions.failure("export a snapshot of " + database.name(), ex);
		}
	}

	/**
	 * Asks the server which database a connection to {@code databaseName} with these
	 * settings reaches: {@code SELECT system_identifier, current_setting('port'),
	 * current_database() FROM pg_control_system()}. PostgreSQL lets every role run
	 * {@code pg_control_system()} unless an administrator revoked it.
	 * @throws DatabaseException when the server cannot be reached or does not answer
	 */
	public DatabaseIdentity identify(DatabaseSettings server, String databaseName) {
		try (Connection connection = this.sessions.connect(server, databaseName);
				Statement statement = this.sessions.statement(connection);
				ResultSet rs = statement.executeQuery("SELECT system_identifier, current_setting('port')::int, "
						+ "current_database() FROM pg_control_system()")) {
			rs.next();
			return new DatabaseIdentity(rs.getLong(1), rs.getInt(2), rs.getString(3));
		}
		catch (SQLException ex) {
			throw PostgresSessions.failure("read the identity of the server of " + databaseName + " on " + server.host()
					+ ":" + server.port() + " (pg_control_system())", ex);
		}
	}

	/**
	 * Counts the rows of every ordinary table of a database (leaf partitions included).
	 * @return {@code schema.table -> rows}, sorted by name
	 */
	public Map<String, Long> rowCounts(DatabaseSettings server, String databaseName) {
		try (Connection connection = this.sessions.connect(server, databaseName)) {
			return this.sessions.countRows(connection);
		}
		catch (SQLException ex) {
			throw PostgresSessions.failure("count the rows of " + databaseName, ex);
		}
	}

	public boolean exists(DatabaseSettings server, String databaseName) {
		try (Connection connection = this.sessions.connect(server, MAINTENANCE_DATABASE);
				PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
			query.setQueryTimeout(this.sessions.seconds());
			query.setString(1, PostgresSessions.plain(databaseName));
			try (ResultSet rs = query.executeQuery()) {
				return rs.next();
			}
		}
		catch (SQLException ex) {
			throw PostgresSessions.failure("look up database " + databaseName, ex);
		}
	}

	/**
	 * @return whether the database exists and takes connections ({@code datallowconn}; a
	 * swap turns it off for a moment)
	 */
	public boolean acceptsConnections(DatabaseSettings server, String databaseName) {
		try (Connection connection = this.sessions.connect(server, MAINTENANCE_DATABASE);
				PreparedStatement query = connection
					.prepareStatement("SELECT datallowconn FROM pg_database WHERE datname = ?")) {
			query.setQueryTimeout(this.sessions.seconds());
			query.setString(1, PostgresSessions.plain(databaseName));
			try (ResultSet rs = query.executeQuery()) {
				return rs.next() && rs.getBoolean(1);
			}
		}
		catch (SQLException ex) {
			throw PostgresSessions.failure("look up database " + databaseName, ex);
		}
	}

	/** {@code CREATE DATABASE}, empty, owned by the connecting role. */
	public void create(DatabaseSettings server, String databaseName) {
		maintenance(server, "create database " + databaseName,
				"CREATE DATABASE " + PostgresSessions.quote(databaseName));
	}

	/**
	 * Drops a database if it exists, closing every session on it first.
	 */
	public void dropIfExists(DatabaseSettings server, String databaseName) {
		maintenance(server, "drop database " + databaseName,
				"DROP DATABASE IF EXISTS " + PostgresSessions.quote(databaseName) + " WITH (FORCE)");
	}

	/**
	 * Puts a new database in the place of an old one, in one transaction: no new session
	 * may open on the old one, its sessions are closed, then it is renamed out of the way
	 * and the new one renamed to its name. The name always names a whole database, old or
	 * new; if anything fails, the old one keeps its name and takes sessions again.
	 * @param server the server (and the role, which must own both databases)
	 * @param current the name that ends up on the new database ({@code reporting_qa})
	 * @param replacement the new database
	 * @param retired the name the old database moves to
	 */
	public void swap(DatabaseSettings server, String current, String replacement, String retired) {
		try (Connection connection = this.sessions.connect(server, MAINTENANCE_DATABASE)) {
			try {
				this.sessions.execute(connection,
						"ALTER DATABASE " + PostgresSessions.quote(current) + " WITH ALLOW_CONNECTIONS false");
				try (PreparedStatement terminate = connection.prepareStatement(
						"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
					terminate.setQueryTimeout(this.sessions.seconds());
					terminate.setString(1, current);
					terminate.execute();
				}
				connection.setAutoCommit(false);
				this.sessions.execute(connection, "ALTER DATABASE " + PostgresSessions.quote(current) + " RENAME TO "
						+ PostgresSessions.quote(retired));
				this.sessions.execute(connection, "ALTER DATABASE " + PostgresSessions.quote(replacement)
						+ " RENAME TO " + PostgresSessions.quote(current));
				connection.commit();
			}
			catch (SQLException ex) {
				connection.rollback();
				connection.setAutoCommit(true);
				this.sessions.execute(connection,
						"ALTER DATABASE " + PostgresSessions.quote(current) + " WITH ALLOW_CONNECTIONS true");
				throw ex;
			}
		}
		catch (SQLException ex) {
			throw PostgresSessions.failure("swap " + replacement + " in for " + current, ex);
		}
	}

	/** Renames a database that no session uses. */
	public void rename(DatabaseSettings server, String from, String to) {
		maintenance(server, "rename database " + from + " to " + to,
				"ALTER DATABASE " + PostgresSessions.quote(from) + " RENAME TO " + PostgresSessions.quote(to));
	}

	private void maintenance(DatabaseSettings server, String what, String sql) {
		try (Connection connection = this.sessions.connect(server, MAINTENANCE_DATABASE)) {
			this.sessions.execute(connection, sql);
		}
		catch (SQLException ex) {
			throw PostgresSessions.failure(what, ex);
		}
	}

}
