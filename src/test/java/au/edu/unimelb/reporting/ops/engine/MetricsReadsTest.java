package au.edu.unimelb.reporting.ops.engine;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsReadsTest {

	@Test
	void aReadThatFailsKeepsNoOtherFromRunning() {
		MetricsReads reads = new MetricsReads(null);
		List<String> ran = new ArrayList<>();
		reads.add("first", () -> {
			ran.add("first");
			throw new IllegalStateException("database down");
		});
		reads.add("second", () -> ran.add("second"));

		reads.readAll();
		reads.readAll();

		assertThat(ran).containsExactly("first", "second", "first", "second");
		reads.destroy();
	}

	@Test
	void theMetricsQueriesAreBounded() {
		assertThat(MetricsReads.bounded(new org.springframework.jdbc.datasource.DriverManagerDataSource())
			.getQueryTimeout()).isEqualTo(2);
	}

}
