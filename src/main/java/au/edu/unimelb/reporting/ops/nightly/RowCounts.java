package au.edu.unimelb.reporting.ops.nightly;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The row counts a backup takes in the snapshot it dumps, in the file beside the dump
 * ({@value Staging#ROW_COUNTS_FILE}, {@code schema.table<TAB>rows} a line), which a
 * restore compares its database with.
 */
public final class RowCounts {

	private RowCounts() {
	}

	/** Writes the row counts of a dump. */
	public static void write(Path file, Map<String, Long> counts) {
		String text = counts.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + "\t" + entry.getValue() + "\n")
			.collect(Collectors.joining());
		try {
			Files.writeString(file, text, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write " + file, ex);
		}
	}

	/**
	 * Reads the row counts a backup recorded.
	 * @param file the {@value Staging#ROW_COUNTS_FILE} of a dump
	 * @return {@code schema.table -> rows}
	 * @throws StepFailedException when it cannot be read
	 */
	public static Map<String, Long> read(Path file) {
		Map<String, Long> counts = new LinkedHashMap<>();
		try {
			for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
				if (!line.isBlank()) {
					int tab = line.lastIndexOf('\t');
					counts.put(line.substring(0, tab), Long.parseLong(line.substring(tab + 1)));
				}
			}
		}
		catch (IOException ex) {
			throw new StepFailedException("Cannot read the backup's row counts " + file + ": " + ex.getMessage());
		}
		return counts;
	}

}
