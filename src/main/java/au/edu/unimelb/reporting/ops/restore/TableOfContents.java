package au.edu.unimelb.reporting.ops.restore;

import java.util.Set;
import java.util.TreeSet;

/**
 * A dump's table of contents as {@code pg_restore --list} prints it.
 */
final class TableOfContents {

	private TableOfContents() {
	}

	/** The tables of a {@code pg_restore --list}: its {@code TABLE DATA} entries. */
	static Set<String> tablesOf(String toc) {
		Set<String> tables = new TreeSet<>();
		for (String line : toc.split("\n")) {
			if (line.startsWith(";")) {
				continue;
			}
			int at = line.indexOf(" TABLE DATA ");
			if (at >= 0) {
				String[] words = line.substring(at + " TABLE DATA ".length()).trim().split("\\s+");
				if (words.length >= 2) {
					tables.add(words[0] + "." + words[1]);
				}
			}
		}
		return tables;
	}

}
