package au.edu.unimelb.reporting.ops.restore;

import java.util.Map;
import java.util.Set;

import au.edu.unimelb.reporting.ops.nightly.StepFailedException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A restored database matches its backup when every table of the dump is there with the
 * rows the backup counted; any difference is a verdict naming the table.
 */
class RowCountComparisonTest {

	@Test
	void aRestoreWithEveryTableAndRowMatches() {
		assertThat(RowCountComparison.compare("qa_restore_1", Map.of("public.orders", 3L, "audit.events", 0L),
				Set.of("public.orders", "audit.events"), Map.of("public.orders", 3L, "audit.events", 0L)))
			.isEqualTo("2 tables, 3 rows, as the backup counted");
	}

	@Test
	void eachDifferenceIsNamed() {
		assertThatThrownBy(() -> RowCountComparison.compare("qa_restore_1",
				Map.of("public.orders", 4L, "public.gone", 1L, "public.extra", 2L),
				Set.of("public.orders", "public.gone", "public.uncounted"),
				Map.of("public.orders", 3L, "public.uncounted", 1L)))
			.isInstanceOf(StepFailedException.class)
			.satisfies((failed) -> assertThat(((StepFailedException) failed).isRetryable()).isFalse())
			.hasMessageStartingWith("The restored database qa_restore_1 does not match the backup: ")
			.hasMessageContaining("public.orders has 3 rows, the backup counted 4")
			.hasMessageContaining("public.gone is missing")
			.hasMessageContaining("public.extra was counted but is not in the dump")
			.hasMessageContaining("public.uncounted has no recorded count");
	}

}
