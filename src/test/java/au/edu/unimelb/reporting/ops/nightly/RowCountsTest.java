package au.edu.unimelb.reporting.ops.nightly;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The row counts a backup writes beside its dump are what a restore reads back.
 */
class RowCountsTest {

	@Test
	void readsBackWhatABackupWrote(@TempDir Path dir) throws Exception {
		Map<String, Long> counts = new LinkedHashMap<>();
		counts.put("public.orders", 1200L);
		counts.put("audit.events\twith a tab", 0L);
		Path file = dir.resolve(Staging.ROW_COUNTS_FILE);

		RowCounts.write(file, counts);

		assertThat(Files.readString(file)).startsWith("public.orders\t1200\n");
		assertThat(RowCounts.read(file)).containsExactlyEntriesOf(counts);
	}

	@Test
	void aMissingFileFailsTheStep(@TempDir Path dir) {
		assertThatThrownBy(() -> RowCounts.read(dir.resolve("missing.tsv"))).isInstanceOf(StepFailedException.class)
			.hasMessageStartingWith("Cannot read the backup's row counts");
	}

}
