package au.edu.unimelb.reporting.ops.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * The real PostgreSQL the tests run against (started by {@code scripts/test.sh}): makes a
 * fresh database per test class and drops it afterwards. Reached with
 * {@code OPS_TEST_PG_URL}, {@code OPS_TEST_PG_USER} and {@code OPS_TEST_PG_PASSWORD}
 * (defaults: the local server's {@code postgres} database as {@code postgres}).
 */
public final class TestPostgres {

	private static final String ADMIN_URL = env("OPS_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");

	private static final String USER = env("OPS_TEST_PG_USER", "postgres");

	private static final String PASSWORD = env("OPS_TEST_PG_PASSWORD", "");

	/**
	 * What the names of the databases made here start with: {@code ops_}, or the
	 * sandbox's own ({@code OPS_TEST_DB_PREFIX=sandbox_NAME_}), so that its clean-up can
	 * find them by name even after a crash.
	 */
	private static final String PREFIX = prefix(env("OPS_TEST_DB_PREFIX", "ops_"));

	private final String name;

	private TestPostgres(String name) {
		this.name = name;
	}

	/**
	 * Creates a database with a fresh name.
	 * @param purpose a short word for the name ({@code it})
	 * @return the new database
	 */
	public static TestPostgres createDatabase(String purpose) {
		String name = PREFIX + purpose + "_" + UUID.randomUUID().toString().substring(0, 8);
		execute("CREATE DATABASE " + name.toLowerCase(Locale.ROOT));
		return new TestPostgres(name.toLowerCase(Locale.ROOT));
	}

	private static String prefix(String prefix) {
		if (!prefix.matches("[a-z][a-z0-9_]{0,30}")) {
			throw new IllegalArgumentException(
					"OPS_TEST_DB_PREFIX must be lower-case letters, digits and _: " + prefix);
		}
		return prefix;
	}

	public String name() {
		return this.name;
	}

	public String jdbcUrl() {
		return ADMIN_URL.substring(0, ADMIN_URL.lastIndexOf('/') + 1) + this.name;
	}

	public String user() {
		return USER;
	}

	public String password() {
		return PASSWORD;
	}

	/** Opens a connection to this database. */
	public Connection connect() throws SQLException {
		return DriverManager.getConnection(jdbcUrl(), USER, PASSWORD);
	}

	/**
	 * Wraps a database this role owns (made by a test, or by the service under test).
	 * @param name its name
	 * @return the database
	 */
	public static TestPostgres existing(String name) {
		return new TestPostgres(name);
	}

	/** Tells whether a database of this name exists. */
	public static boolean exists(String name) {
		try (Connection connection = DriverManager.getConnection(ADMIN_URL, USER, PASSWORD);
				java.sql.PreparedStatement query = connection
					.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
			query.setString(1, name);
			try (java.sql.ResultSet rs = query.executeQuery()) {
				return rs.next();
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The names of the databases that start with a prefix. */
	public static java.util.List<String> databasesStartingWith(String prefix) {
		java.util.List<String> names = new java.util.ArrayList<>();
		try (Connection connection = DriverManager.getConnection(ADMIN_URL, USER, PASSWORD);
				java.sql.PreparedStatement query = connection
					.prepareStatement("SELECT datname FROM pg_database WHERE datname LIKE ? ORDER BY 1")) {
			query.setString(1, prefix.replace("_", "\\_") + "%");
			try (java.sql.ResultSet rs = query.executeQuery()) {
				while (rs.next()) {
					names.add(rs.getString(1));
				}
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
		return names;
	}

	/** Drops the database, closing any connection left to it. */
	public void drop() {
		execute("DROP DATABASE IF EXISTS " + this.name + " WITH (FORCE)");
	}

	private static void execute(String sql) {
		try (Connection connection = DriverManager.getConnection(ADMIN_URL, USER, PASSWORD);
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("PostgreSQL at " + ADMIN_URL + " as " + USER + " refused: " + sql
					+ " (run the tests through scripts/test.sh, which starts it)", ex);
		}
	}

	private static String env(String name, String fallback) {
		String value = System.getenv(name);
		return (value == null || value.isBlank()) ? fallback : value;
	}

}
