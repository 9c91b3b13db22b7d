package au.edu.unimelb.reporting.ops.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
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
 * How {@link PostgresDatabases} talks SQL: a session to one database of a server, each
 * statement with the timeout, database names checked to be plain and always quoted, and a
 * failure as a {@link DatabaseException} that says what could not be done.
 */
final class PostgresSessions {

	private static final Pattern PLAIN_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

	private static final String TABLES = "SELECT n.nspname, c.relname FROM pg_class c "
			+ "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' "
			+ "AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' "
			+ "ORDER BY 1, 2";

	private final Duration timeout;

	/**
	 * @param timeout the limit of one statement
	 */
	PostgresSessions(Duration timeout) {
		this.timeout = timeout;
	}

	Connection connect(DatabaseSettings server, String databaseName) {
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

	/**
	 * Counts the rows of every ordinary table the session sees (leaf partitions
	 * included).
	 * @return {@code schema.table -> rows}, sorted by name
	 */
	Map<String, Long> countRows(Connection connection) throws SQLException {
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

	void execute(Connection connection, String sql) throws SQLException {
		try (Statement statement = statement(connection)) {
			statement.execute(sql);
		}
	}

	Statement statement(Connection connection) throws SQLException {
		Statement statement = connection.createStatement();
		statement.setQueryTimeout(seconds());
		return statement;
	}

	int seconds() {
		return (int) Math.max(1, this.timeout.toSeconds());
	}

	static String plain(String name) {
		if (name == null || !PLAIN_NAME.matcher(name).matches()) {
			throw new IllegalArgumentException("Not a plain database name: " + name);
		}
		return name;
	}

	static String quote(String name) {
		return "\"" + plain(name) + "\"";
	}

	private static String quoteAny(String identifier) {
		return "\"" + identifier.replace("\"", "\"\"") + "\"";
	}

	static DatabaseException failure(String what, SQLException ex) {
		return new DatabaseException("Could not " + what + ": " + ex.getMessage(), ex);
	}

	static void closeQuietly(Connection connection) {
		try {
			connection.close();
		}
		catch (SQLException ex) {
			// already failing: the first error is the one to report
		}
	}

}
