package au.edu.unimelb.reporting.ops.deploy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings;
import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings.EnvironmentSettings;
import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings.StackSettings;
import au.edu.unimelb.reporting.ops.support.MutableClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessResourceFailureException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

class DeployMetricsTest {

	static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

	final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

	final DeploymentRecords records = mock(DeploymentRecords.class);

	final MutableClock clock = new MutableClock(NOW);

	DeployMetrics metrics;

	@BeforeEach
	void metrics() {
		EnvironmentsSettings environments = mock(EnvironmentsSettings.class);
		EnvironmentSettings qa = mock(EnvironmentSettings.class, org.mockito.Mockito.RETURNS_DEEP_STUBS);
		when(qa.cloud().requestTimeoutSeconds()).thenReturn(60);
		when(qa.webFront().timeoutSeconds()).thenReturn(20);
		when(qa.appServer().timeoutSeconds()).thenReturn(20);
		StackSettings stack = mock(StackSettings.class);
		when(stack.createTimeoutMinutes()).thenReturn(20);
		when(qa.stack()).thenReturn(stack);
		when(environments.find("qa")).thenReturn(Optional.of(qa));
		when(environments.find("prod")).thenReturn(Optional.empty());
		this.metrics = new DeployMetrics(this.registry, this.records, DeployReplaceProcessTest.SETTINGS, environments,
				this.clock);
	}

	@Test
	void namesWhatServesEachEnvironmentAndHowOldTheSwitchAndTheRunningDeployAre() {
		when(this.records.servingNow()).thenReturn(
				List.of(new DeploymentRecords.Serving("qa", "2026.11.24-1", "reporting_qa_7", NOW.minusSeconds(300))));
		when(this.records.deploysRunningSince()).thenReturn(Map.of("prod", NOW.minusSeconds(120)));
		this.metrics.started();

		String scrape = this.registry.scrape();

		assertThat(scrape).contains(
				"reporting_environment_serving_info{build=\"2026.11.24-1\",environment=\"qa\",stack=\"reporting_qa_7\"} 1")
			.contains("reporting_environment_last_switch_age_seconds{environment=\"qa\"} 300")
			.contains("reporting_environment_last_switch_age_seconds{environment=\"prod\"} NaN")
			.contains("reporting_deploy_running_age_seconds{environment=\"prod\"} 120")
			.contains("reporting_deploy_running_age_seconds{environment=\"qa\"} 0")
			// 20 min stack + 10 host keys + 10 health + 1 public check + 10 retire, and
			// 10
			// steps of 4 tries of the longest call (60 s to the cloud) and 3 pauses of 10
			// s
			.contains("reporting_deploy_deadline_seconds{environment=\"qa\"} 5760")
			.doesNotContain("reporting_deploy_deadline_seconds{environment=\"prod\"}");
	}

	@Test
	void scrapesNeverReadTheRecordsARunsEndDoes() {
		when(this.records.servingNow())
			.thenReturn(List.of(new DeploymentRecords.Serving("qa", "b1", "reporting_qa_1", NOW.minusSeconds(60))));
		when(this.records.deploysRunningSince()).thenReturn(Map.of());
		this.metrics.started();
		this.registry.scrape();
		this.registry.scrape();
		verify(this.records, times(1)).servingNow();

		when(this.records.servingNow())
			.thenReturn(List.of(new DeploymentRecords.Serving("qa", "b2", "reporting_qa_2", NOW)));
		this.metrics.deployEnded("qa", "DEPLOYED", NOW.minusSeconds(600),
				Map.of("Task_CreateStack", NOW.minusSeconds(590), "Task_ReadHostKeys", NOW.minusSeconds(400),
						"Task_SwitchWebFront", NOW.minusSeconds(100), "Task_RetireOldStacks", NOW.minusSeconds(40)));
		String scrape = this.registry.scrape();

		assertThat(scrape)
			.contains("reporting_environment_serving_info{build=\"b2\",environment=\"qa\",stack=\"reporting_qa_2\"} 1")
			.doesNotContain("reporting_qa_1")
			.contains("reporting_deploys_total{environment=\"qa\",outcome=\"deployed\"} 1")
			.contains("reporting_deploy_duration_seconds_count{environment=\"qa\"} 1")
			.contains("reporting_deploy_duration_seconds_bucket{environment=\"qa\",le=\"900.0\"} 1")
			.contains("reporting_deploy_duration_seconds_bucket{environment=\"qa\",le=\"300.0\"} 0")
			.contains("reporting_deploy_phase_duration_seconds_sum{environment=\"qa\",phase=\"stack_create\"} 190")
			.contains("reporting_deploy_phase_duration_seconds_sum{environment=\"qa\",phase=\"health_wait\"} 300")
			.as("a phase not reached ends nothing: the switch lasts until the next phase that began")
			.contains("reporting_deploy_phase_duration_seconds_sum{environment=\"qa\",phase=\"switch\"} 60")
			.contains("reporting_deploy_phase_duration_seconds_sum{environment=\"qa\",phase=\"retire\"} 40")
			.doesNotContain("phase=\"public_check\"");

		verify(this.records, times(2)).servingNow();
	}

	@Test
	void aFailingDatabaseKeepsTheLastValuesAndTheScrape() {
		when(this.records.servingNow())
			.thenReturn(List.of(new DeploymentRecords.Serving("qa", "b1", "reporting_qa_1", NOW.minusSeconds(60))));
		when(this.records.deploysRunningSince()).thenReturn(Map.of());
		this.metrics.started();
		when(this.records.servingNow()).thenThrow(new DataAccessResourceFailureException("database down"));
		this.clock.set(NOW.plusSeconds(20));
		org.assertj.core.api.Assertions.assertThatThrownBy(this.metrics::refresh)
			.as("thrown to MetricsReads, which counts it")
			.isInstanceOf(DataAccessResourceFailureException.class);

		assertThat(this.registry.scrape())
			.contains("reporting_environment_serving_info{build=\"b1\",environment=\"qa\",stack=\"reporting_qa_1\"} 1")
			.contains("reporting_environment_last_switch_age_seconds{environment=\"qa\"} 80");
	}

	@Test
	void theDeadlineAddsEveryWaitOnceAndEachStepsTriesOfItsLongestCall() {
		EnvironmentsSettings environments = mock(EnvironmentsSettings.class);
		EnvironmentSettings qa = mock(EnvironmentSettings.class, org.mockito.Mockito.RETURNS_DEEP_STUBS);
		when(qa.cloud().requestTimeoutSeconds()).thenReturn(10);
		when(qa.webFront().timeoutSeconds()).thenReturn(90);
		when(environments.find("qa")).thenReturn(Optional.of(qa));
		when(environments.find("prod")).thenReturn(Optional.empty());
		Duration ssh = au.edu.unimelb.reporting.ops.ssh.SshCommands.oneCall("x", 90).getValue();

		assertThat(DeployMetrics.deadline(DeployReplaceProcessTest.SETTINGS, environments, "qa", 20))
			.isEqualTo(Duration.ofSeconds(3060).plus(ssh.multipliedBy(4).plusSeconds(30).multipliedBy(10)));
	}

	@Test
	void everyRetryCycleOfTheDeployIsTheOneTheDeadlineCounts() throws Exception {
		String model = java.nio.file.Files.readString(java.nio.file.Path.of("processes/deploy-replace.bpmn"));
		java.util.regex.Matcher cycles = java.util.regex.Pattern
			.compile("<camunda:failedJobRetryTimeCycle>([^<]*)</camunda:failedJobRetryTimeCycle>")
			.matcher(model);
		List<String> found = new java.util.ArrayList<>();
		while (cycles.find()) {
			found.add(cycles.group(1));
		}
		assertThat(found).isNotEmpty().allMatch(DeployMetrics.RETRY_CYCLE::equals);
		assertThat(model).doesNotContain("camunda:failedJobRetryTimeCycle=");
		assertThat(found).as("steps with a retry cycle, of which a run passes at most STEPS")
			.hasSizeGreaterThanOrEqualTo(DeployMetrics.STEPS);
	}

}
