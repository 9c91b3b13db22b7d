package au.edu.unimelb.reporting.ops.restore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import au.edu.unimelb.reporting.ops.nightly.StepFailedException;

/**
 * Whether a restored database is what the backup held: every table in the dump's table of
 * contents is there and holds as many rows as the backup counted in the snapshot it
 * dumped. A pure function of the three.
 */
final class RowCountComparison {

	private RowCountComparison() {
	}

	/**
	 * @param database the restored database, for the message
	 * @param recorded the row counts the backup recorded, {@code schema.table -> rows}
	 * @param tocTables the tables of the dump's table of contents
	 * @param restored the row counts of the restored database
	 * @return a one-line summary
	 * @throws StepFailedException (a verdict) naming the first ten differences
	 */
	static String compare(String database, Map<String, Long> recorded, Set<String> tocTables,
			Map<String, Long> restored) {
		List<String> problems = new ArrayList<>();
		Set<String> expected = new TreeSet<>(tocTables);
		expected.addAll(recorded.keySet());
		for (String table : expected) {
			Long want = recorded.get(table);
			Long got = restored.get(table);
			if (!tocTables.contains(table)) {
				problems.add(table + " was counted but is not in the dump");
			}
			else if (got == null) {
				problems.add(table + " is missing");
			}
			else if (want == null) {
				problems.add(table + " has no recorded count");
			}
			else if (!want.equals(got)) {
				problems.add(table + " has " + got + " rows, the backup counted " + want);
			}
		}
		if (!problems.isEmpty()) {
			throw new StepFailedException("The restored database " + database + " does not match the backup: "
					+ String.join("; ", problems.subList(0, Math.min(10, problems.size())))
					+ ((problems.size() > 10) ? " (and " + (problems.size() - 10) + " more)" : ""));
		}
		long rows = restored.values().stream().mapToLong(Long::longValue).sum();
		return expected.size() + " tables, " + rows + " rows, as the backup counted";
	}

}
