package au.edu.unimelb.reporting.ops.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings.DatabaseSettings;

/**
 * The one facade over SQL sessions to the application's PostgreSQL servers (the service's
 * own database is Spring's): an exported snapshot with the row counts the dump is taken
 * from, and the databases the QA restore creates, checks, swaps and drops. Every
 * statement has a timeout; database names are plain names (checked) and always quoted.
 */
public final class PostgresDatabases {

	/**
	 * The database the service connects to for creating, renaming and dropping others.
	 */
	public static final String MAINTENANCE_DATABASE = "postgres";

	private static final Pattern PLAIN_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

	private static final String TABLES = "SELECT n.nspname, c.relname FROM pg_class c "
			+ "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' "
			+ "AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' "
			+ "ORDER BY 1, 2";

	private final Duration timeout;

	/**
	 * @param timeout the limit of one statement (a row count of a big table, a
	 * {@code DROP DATABASE})
	 */
	public PostgresDatabases(Duration timeout) {
		this.timeout = timeout;
	}

	/**
	 * Opens a read-only, repeatable-read transaction on a database and exports its
	 * snapshot, so that {@code pg_dump --snapshot} dumps exactly what its row counts see.
	 * The snapshot lives until it is closed.
	 */
	public Snapshot exportSnapshot(DatabaseSettings database) {
		Connection connection = connect(database, database.name());
		try {
			connection.setAutoCommit(false);
			connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
			connection.setReadOnly(true);
			String name;
			try (Statement statement = statement(connection);
					ResultSet rs = statement.executeQuery("SELECT pg_export_snapshot()")) {
				rs.next();
				name = rs.getString(1);
			}
			return new Snapshot(connection, name);
		}
		catch (SQLException ex) {
			closeQuietly(connection);
			throw failure("export a snapshot of " + database.name(), ex);
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
		try (Connection connection = connect(server, databaseName);
				Statement statement = statement(connection);
				ResultSet rs = statement.executeQuery("SELECT system_identifier, current_setting('port')::int, "
						+ "current_database() FROM pg_control_system()")) {
			rs.next();
			return new DatabaseIdentity(rs.getLong(1), rs.getInt(2), rs.getString(3));
		}
		catch (SQLException ex) {
			throw failure("read the identity of the server of " + databaseName + " on " + server.host() + ":"
					+ server.port() + " (pg_control_system())", ex);
		}
	}

	/**
	 * Counts the rows of every ordinary table of a database (leaf partitions included).
	 * @return {@code schema.table -> rows}, sorted by name
	 */
	public Map<String, Long> rowCounts(DatabaseSettings server, String databaseName) {
		try (Connection connection = connect(server, databaseName)) {
			return countRows(connection);
		}
		catch (SQLException ex) {
			throw failure("count the rows of " + databaseName, ex);
		}
	}

	public boolean exists(DatabaseSettings server, String databaseName) {
		try (Connection connection = connect(server, MAINTENANCE_DATABASE);
				PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
			query.setQueryTimeout(seconds());
			query.setString(1, plain(databaseName));
			try (ResultSet rs = query.executeQuery()) {
				return rs.next();
			}
		}
		catch (SQLException ex) {
			throw failure("look up database " + databaseName, ex);
		}
	}

	/**
	 * @return whether the database exists and takes connections ({@code datallowconn}; a
	 * swap turns it off for a moment)
	 */
	public boolean acceptsConnections(DatabaseSettings server, String databaseName) {
		try (Connection connection = connect(server, MAINTENANCE_DATABASE);
				PreparedStatement query = connection
					.prepareStatement("SELECT datallowconn FROM pg_database WHERE datname = ?")) {
			query.setQueryTimeout(seconds());
			query.setString(1, plain(databaseName));
			try (ResultSet rs = query.executeQuery()) {
				return rs.next() && rs.getBoolean(1);
			}
		}
		catch (SQLException ex) {
			throw failure("look up database " + databaseName, ex);
		}
	}

	/** {@code CREATE DATABASE}, empty, owned by the connecting role. */
	public void create(DatabaseSettings server, String databaseName) {
		maintenance(server, "create database " + databaseName, "CREATE DATABASE " + quote(databaseName));
	}

	/**
	 * Drops a database if it exists, closing every session on it first.
	 */
	public void dropIfExists(DatabaseSettings server, String databaseName) {
		maintenance(server, "drop database " + databaseName,
				"DROP DATABASE IF EXISTS " + quote(databaseName) + " WITH (FORCE)");
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
		try (Connection connection = connect(server, MAINTENANCE_DATABASE)) {
			try {
				execute(connection, "ALTER DATABASE " + quote(current) + " WITH ALLOW_CONNECTIONS false");
				try (PreparedStatement terminate = connection.prepareStatement(
						"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
					terminate.setQueryTimeout(seconds());
					terminate.setString(1, current);
					terminate.execute();
				}
				connection.setAutoCommit(false);
				execute(connection, "ALTER DATABASE " + quote(current) + " RENAME TO " + quote(retired));
				execute(connection, "ALTER DATABASE " + quote(replacement) + " RENAME TO " + quote(current));
				connection.commit();
			}
			catch (SQLException ex) {
				connection.rollback();
				connection.setAutoCommit(true);
				execute(connection, "ALTER DATABASE " + quote(current) + " WITH ALLOW_CONNECTIONS true");
				throw ex;
			}
		}
		catch (SQLException ex) {
			throw failure("swap " + replacement + " in for " + current, ex);
		}
	}

	/** Renames a database that no session uses. */
	public void rename(DatabaseSettings server, String from, String to) {
		maintenance(server, "rename database " + from + " to " + to,
				"ALTER DATABASE " + quote(from) + " RENAME TO " + quote(to));
	}

	private void maintenance(DatabaseSettings server, String what, String sql) {
		try (Connection connection = connect(server, MAINTENANCE_DATABASE)) {
			execute(connection, sql);
		}
		catch (SQLException ex) {
			throw failure(what, ex);
		}
	}

	private Map<String, Long> countRows(Connection connection) throws SQLException {
		List<String[]> tables = new ArrayList<>();
		try (Statement statement = statement(connection); ResultSet rs = statement.executeQuery(TABLES)) {
			while (rs.next()) {
				tables.add(new String[] { rs.getString(1), rs.getString(2) });
			}
		}
		Map<String, Long> counts = new TreeMap<>();
		for (String[] table : tables) {
			try (Statement statement = statement(connection);
					ResultSet rs = statement
						.executeQuery("SELECT count(*) FROM " + quoteAny(table[0]) + "." + quoteAny(table[1]))) {
				rs.next();
				counts.put(table[0] + "." + table[1], rs.getLong(1));
			}
		}
		return counts;
	}

	private void execute(Connection connection, String sql) throws SQLException {
		try (Statement statement = statement(connection)) {
			statement.execute(sql);
		}
	}

	private Statement statement(Connection connection) throws SQLException {
		Statement statement = connection.createStatement();
		statement.setQueryTimeout(seconds());
		return statement;
	}

	private int seconds() {
		return (int) Math.max(1, this.timeout.toSeconds());
	}

	private Connection connect(DatabaseSettings server, String databaseName) {
		Properties properties = new Properties();
		properties.setProperty("user", server.user());
		properties.setProperty("password", server.password().reveal());
		properties.setProperty("connectTimeout", "10");
		properties.setProperty("ApplicationName", "reporting-ops");
		String url = "jdbc:postgresql://" + server.host() + ":" + server.port() + "/" + plain(databaseName);
		try {
			return DriverManager.getConnection(url, properties);
		}
		catch (SQLException ex) {
			throw failure("connect to " + databaseName + " on " + server.host() + ":" + server.port(), ex);
		}
	}

	private static String plain(String name) {
		if (name == null || !PLAIN_NAME.matcher(name).matches()) {
			throw new IllegalArgumentException("Not a plain database name: " + name);
		}
		return name;
	}

	private static String quote(String name) {
		return "\"" + plain(name) + "\"";
	}

	private static String quoteAny(String identifier) {
		return "\"" + identifier.replace("\"", "\"\"") + "\"";
	}

	private static DatabaseException failure(String what, SQLException ex) {
		return new DatabaseException("Could not " + what + ": " + ex.getMessage(), ex);
	}

	private static void closeQuietly(Connection connection) {
		try {
			connection.close();
		}
		catch (SQLException ex) {
			// already failing: the first error is the one to report
		}
	}

	/**
	 * An open, exported snapshot; closing it ends the transaction that holds it.
	 */
	public final class Snapshot implements AutoCloseable {

		private final Connection connection;

		private final String name;

		private Snapshot(Connection connection, String name) {
			this.connection = connection;
			this.name = name;
		}

		/** The name to pass to {@code pg_dump --snapshot}. */
		public String name() {
			return this.name;
		}

		/** Counts the rows of every table as the snapshot sees them. */
		public Map<String, Long> rowCounts() {
			try {
				return countRows(this.connection);
			}
			catch (SQLException ex) {
				throw failure("count rows in the snapshot", ex);
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
			closeQuietly(this.connection);
		}

	}

}
