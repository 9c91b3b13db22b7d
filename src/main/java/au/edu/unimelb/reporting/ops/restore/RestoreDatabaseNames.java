package au.edu.unimelb.reporting.ops.restore;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The names of the databases a restore run makes next to QA: the temporary one it
 * restores into ({@code <qa>_restore_<run>}) and the old QA it swaps out
 * ({@code <qa>_old_<run>}). Derived from QA's name and the run's id alone, every time
 * they are needed, never read back from a process variable (which anyone with Cockpit may
 * edit): no edit can point a step's drop or rename at another database.
 */
final class RestoreDatabaseNames {

	/** What a temporary database's name looks like: {@code <qa>_restore_<run>}. */
	private static final Pattern TEMP_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,39}_restore_[a-z0-9]{1,12}");

	private RestoreDatabaseNames() {
	}

	/**
	 * The temporary database of a run: {@code <qa>_restore_<run>}, from the run's id
	 * alone.
	 * @throws IllegalArgumentException when the id gives no name of that form
	 */
	static String tempName(String qaName, String runId) {
		String temp = shortName(qaName) + "_restore_" + idPart(runId);
		if (!TEMP_NAME.matcher(temp).matches()) {
			throw new IllegalArgumentException("Run id " + runId + " gives no temporary database name");
		}
		return temp;
	}

	/**
	 * The run's temporary database, checked to be neither QA's nor Prod's own name.
	 * @throws IllegalStateException when it would be
	 */
	static String tempDatabase(String qaName, String prodName, String runId) {
		String temp = tempName(qaName, runId);
		if (temp.equals(qaName) || temp.equals(prodName)) {
			throw new IllegalStateException("The temporary database of run " + runId + " would be " + temp
					+ ", which is QA's or Prod's name: refusing to touch it");
		}
		return temp;
	}

	/**
	 * The name the old QA moves to in the run's swap, checked to be neither QA's nor
	 * Prod's own name.
	 * @throws IllegalStateException when it would be
	 */
	static String retiredDatabase(String qaName, String prodName, String runId) {
		String retired = retiredName(qaName, runId);
		if (retired.equals(qaName) || retired.equals(prodName)) {
			throw new IllegalStateException("The retired copy of QA in run " + runId + " would be " + retired
					+ ", which is QA's or Prod's name: refusing to touch it");
		}
		return retired;
	}

	/** The name the old QA moves to while the restored copy takes its place. */
	static String retiredName(String qaName, String runId) {
		return shortName(qaName) + "_old_" + idPart(runId);
	}

	private static String shortName(String name) {
		return (name.length() > 40) ? name.substring(0, 40) : name;
	}

	private static String idPart(String runId) {
		String id = runId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
		return id.substring(0, Math.min(12, id.length()));
	}

}
