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
		when(this.records.lastEnded(anyString(), anyString())).thenReturn(Optional.empty());
		when(this.records.lastEndedExcept(anyString(), anyString())).thenReturn(Optional.empty());
	}

	BackupMetrics start() {
		this.metrics = new BackupMetrics(this.registry, this.records, Clock.fixed(NOW, ZoneOffset.UTC));
		this.metrics.started();
		return this.metrics;
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
		when(this.records.lastEndedExcept("BACKUP", "SKIPPED")).thenReturn(Optional
			.of(run("b2", "BACKUP", NOW.minusSeconds(7200), NOW.minusSeconds(3000), "INCOMPLETE", 1234L, null)));
		when(this.records.lastEnded(BackupRecords.RESTORE, "RESTORED")).thenReturn(Optional.of(run("r1", "RESTORE",
				NOW.minusSeconds(2000), NOW.minusSeconds(1700), "RESTORED", null, NOW.minusSeconds(5000))));
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
	void scrapesNeverReadTheRecordsAndAFailingDatabaseKeepsTheLastValues() {
		when(this.records.lastVerified("daily")).thenReturn(Optional.of(NOW.minusSeconds(3600)));
		start();
		this.registry.scrape();
		this.registry.scrape();
		verify(this.records, times(1)).lastUploadMillis();

		when(this.records.lastUploadMillis()).thenThrow(new DataAccessResourceFailureException("database down"));
		when(this.records.lastVerified("daily")).thenReturn(Optional.of(NOW.minusSeconds(60)));
		org.assertj.core.api.Assertions.assertThatThrownBy(this.metrics::refresh)
			.as("thrown to MetricsReads, which counts it")
			.isInstanceOf(DataAccessResourceFailureException.class);
		assertThat(this.registry.scrape()).contains("reporting_backup_last_verified_age_seconds{tier=\"daily\"} 3600");
	}

	static BackupRun run(String id, String kind, Instant started, Instant ended, String outcome, Long dumpBytes,
			Instant backupTime) {
		return new BackupRun(id, kind, "timer", started, ended, outcome, null, dumpBytes, null, backupTime);
	}

}
