package au.edu.unimelb.reporting.ops.backup;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import au.edu.unimelb.reporting.ops.nightly.BackupRecords;
import au.edu.unimelb.reporting.ops.nightly.BackupRecords.BackupRun;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessResourceFailureException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

class BackupMetricsTest {

	static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

	final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

	final BackupRecords records = mock(BackupRecords.class);

	BackupMetrics metrics;

	@BeforeEach
	void metrics() {
		when(this.records.lastVerified(anyString())).thenReturn(Optional.empty());
		when(this.records.lastUploadMillis()).thenReturn(Map.of());
		when(this.records.latest(anyString(), org.mockito.ArgumentMatchers.anyInt())).thenReturn(List.of());
	}

	BackupMetrics start() {
		BackupMetrics started = new BackupMetrics(this.registry, this.records, Clock.fixed(NOW, ZoneOffset.UTC));
		started.started();
		return started;
	}

	@Test
	void aNewServiceShowsNoRunAndNoVerifiedSet() {
		start();
		assertThat(this.registry.scrape()).contains("reporting_backup_last_verified_age_seconds{tier=\"daily\"} NaN")
			.contains("reporting_qa_data_age_seconds NaN")
			.doesNotContain("reporting_backup_last_run_success")
			.doesNotContain("reporting_backup_dump_size_bytes");
	}

	@Test
	void showsTheLastRunItsDumpItsUploadsAndWhatQaHolds() {
		when(this.records.lastVerified("daily")).thenReturn(Optional.of(NOW.minusSeconds(3600)));
		when(this.records.lastUploadMillis()).thenReturn(Map.of("daily", 90_500L));
		when(this.records.latest("BACKUP", 10))
			.thenReturn(List.of(run("b3", "BACKUP", NOW.minusSeconds(100), null, null, null, null),
					run("b2", "BACKUP", NOW.minusSeconds(7200), NOW.minusSeconds(3000), "INCOMPLETE", 1234L, null),
					run("b1", "BACKUP", NOW.minusSeconds(90000), NOW.minusSeconds(86000), "BACKED_UP", 999L, null)));
		when(this.records.latest(BackupRecords.RESTORE, 20)).thenReturn(
				List.of(run("r2", "RESTORE", NOW.minusSeconds(600), NOW.minusSeconds(500), "FAILED", null, null),
						run("r1", "RESTORE", NOW.minusSeconds(2000), NOW.minusSeconds(1700), "RESTORED", null,
								NOW.minusSeconds(5000))));
		start();

		assertThat(this.registry.scrape()).contains("reporting_backup_last_verified_age_seconds{tier=\"daily\"} 3600")
			.contains("reporting_backup_upload_duration_seconds{tier=\"daily\"} 90.5")
			.contains("reporting_backup_last_run_success 0")
			.contains("reporting_backup_dump_size_bytes 1234")
			.contains("reporting_qa_data_age_seconds 5000")
			.contains("reporting_qa_last_restore_age_seconds 1700")
			.contains("reporting_qa_restore_duration_seconds 300");
	}

	@Test
	void readsAtMostOncePerTenSecondsAndAFailingDatabaseKeepsTheScrape() {
		start();
		this.registry.scrape();
		this.registry.scrape();
		verify(this.records, times(1)).lastUploadMillis();

		BackupMetrics later = new BackupMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), this.records,
				Clock.fixed(NOW.plusSeconds(60), ZoneOffset.UTC));
		when(this.records.lastUploadMillis()).thenThrow(new DataAccessResourceFailureException("database down"));
		later.started();
	}

	static BackupRun run(String id, String kind, Instant started, Instant ended, String outcome, Long dumpBytes,
			Instant backupTime) {
		return new BackupRun(id, kind, "timer", started, ended, outcome, null, dumpBytes, null, backupTime);
	}

}
