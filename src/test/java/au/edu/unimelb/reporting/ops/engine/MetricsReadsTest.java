package au.edu.unimelb.reporting.ops.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import au.edu.unimelb.reporting.ops.support.MutableClock;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class MetricsReadsTest {

	static final Instant START = Instant.parse("2026-11-26T12:00:00Z");

	final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

	final MutableClock clock = new MutableClock(START);

	@Test
	void aReadThatFailsEvenWithAnErrorKeepsNoOtherAndNoLaterRoundFromRunning() {
		MetricsReads reads = new MetricsReads(new DriverManagerDataSource(), this.registry, this.clock);
		List<String> ran = new CopyOnWriteArrayList<>();
		reads.add("first", "the first", () -> {
			ran.add("first");
			throw new StackOverflowError();
		});
		reads.add("second", "the second", () -> ran.add("second"));
		try {
			reads.started();
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(ran).as("rounds go on after an Error").hasSizeGreaterThanOrEqualTo(4));
			assertThat(ran.subList(0, 4)).containsExactly("first", "second", "first", "second");
		}
		finally {
			reads.destroy();
		}
	}

	@Test
	void saysHowLongAgoEachReadLastSucceededAndCountsItsFailures() {
		MetricsReads reads = new MetricsReads(new DriverManagerDataSource(), this.registry, this.clock);
		boolean[] fail = { false };
		reads.add("backups", "the backup records", () -> {
			if (fail[0]) {
				throw new IllegalStateException("database down");
			}
		});
		this.clock.set(START.plusSeconds(30));
		assertThat(this.registry.scrape()).as("before its first success: since the start")
			.contains("reporting_metrics_read_age_seconds{read=\"backups\"} 30")
			.contains("reporting_metrics_read_failures_total{read=\"backups\"} 0");

		reads.readAll();
		this.clock.set(START.plusSeconds(40));
		fail[0] = true;
		reads.readAll();
		reads.readAll();

		assertThat(this.registry.scrape()).contains("reporting_metrics_read_age_seconds{read=\"backups\"} 10")
			.contains("reporting_metrics_read_failures_total{read=\"backups\"} 2");
		reads.destroy();
	}

	@Test
	void theReadsHaveAPoolOfTheirOwnOfOneConnectionThatWaitsTwoSecondsAtMost() throws Exception {
		try (HikariDataSource main = new HikariDataSource()) {
			main.setJdbcUrl("jdbc:postgresql://127.0.0.1:5432/postgres");
			main.setUsername("someone");
			main.setPassword("pw");
			MetricsReads reads = new MetricsReads(main, this.registry, this.clock);
			try {
				HikariDataSource own = (HikariDataSource) reads.jdbc().getDataSource();
				assertThat(own).isNotSameAs(main);
				assertThat(own.getMaximumPoolSize()).isEqualTo(1);
				assertThat(own.getConnectionTimeout()).isEqualTo(2000);
				assertThat(own.getDataSourceProperties()).containsEntry("socketTimeout", "10")
					.containsEntry("connectTimeout", "2");
				assertThat(reads.jdbc().getQueryTimeout()).isEqualTo(2);
			}
			finally {
				reads.destroy();
			}
		}
	}

}
