package au.edu.unimelb.reporting.ops.support;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Reads every row of every engine table ({@code ACT_%}) and reports where any of the
 * given values appears, in text or in bytes.
 */
public final class SecretScan {

	private SecretScan() {
	}

	/**
	 * @return one line per place ({@code table.column}) that holds one of the values;
	 * empty when none does
	 */
	public static List<String> engineTables(Connection connection, Collection<String> values) throws SQLException {
		List<String> tables = new ArrayList<>();
		try (ResultSet rs = connection.getMetaData().getTables(null, null, "%", new String[] { "TABLE" })) {
			while (rs.next()) {
				String table = rs.getString("TABLE_NAME");
				if (table.toLowerCase().startsWith("act_")) {
					tables.add(table);
				}
			}
		}
		if (tables.size() < 40) {
			throw new IllegalStateException("Expected the engine's tables, found only " + tables);
		}
		List<String> found = new ArrayList<>();
		for (String table : tables) {
			try (Statement statement = connection.createStatement();
					ResultSet rows = statement.executeQuery("SELECT * FROM " + table)) {
				ResultSetMetaData meta = rows.getMetaData();
				while (rows.next()) {
					for (int column = 1; column <= meta.getColumnCount(); column++) {
						Object cell = rows.getObject(column);
						String text = (cell instanceof byte[] bytes) ? new String(bytes, StandardCharsets.ISO_8859_1)
								: String.valueOf(cell);
						for (String value : values) {
							if (text.contains(value)) {
								found.add(table + "." + meta.getColumnName(column));
							}
						}
					}
				}
			}
		}
		return found;
	}

}
