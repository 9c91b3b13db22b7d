package au.edu.unimelb.reporting.ops.engine;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.cfg.StandaloneInMemProcessEngineConfiguration;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link EngineMetrics} on a real engine's tables: an async step waits as a due job, a
 * step that fails its only try leaves an incident of its process.
 */
class EngineMetricsTest {

	final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

	ProcessEngine engine;

	JdbcTemplate jdbc;

	@BeforeEach
	void engine() {
		StandaloneInMemProcessEngineConfiguration configuration = new StandaloneInMemProcessEngineConfiguration();
		configuration.setJdbcUrl("jdbc:h2:mem:engine-metrics;DB_CLOSE_DELAY=1000");
		// a name of its own: closing an engine named "default" would unregister the
		// process tests' engine, which later process tests in this JVM look up by that
		// name
		configuration.setProcessEngineName("engine-metrics");
		configuration.setDatabaseSchemaUpdate("create-drop");
		configuration.setHistory("full");
		configuration.setJobExecutorActivate(false);
		JavaDelegate failing = (execution) -> {
			throw new IllegalStateException("exit 1");
		};
		configuration.setBeans(Map.of("step", failing));
		this.engine = configuration.buildProcessEngine();
		this.engine.getRepositoryService()
			.createDeployment()
			.addModelInstance("failing.bpmn",
					Bpmn.createExecutableProcess("failing")
						.camundaHistoryTimeToLive(1)
						.startEvent()
						.serviceTask("Task_Step")
						.camundaAsyncBefore()
						.camundaDelegateExpression("${step}")
						.camundaFailedJobRetryTimeCycle("R1/PT1M")
						.endEvent()
						.done())
			.deploy();
		this.jdbc = new JdbcTemplate(new DriverManagerDataSource("jdbc:h2:mem:engine-metrics", "sa", ""));
	}

	@AfterEach
	void close() {
		this.engine.close();
	}

	@Test
	void countsDueJobsAndOpenIncidentsByProcess() {
		this.engine.getRuntimeService().startProcessInstanceByKey("failing");
		this.engine.getRuntimeService().startProcessInstanceByKey("failing");
		Instant now = Instant.now().plusSeconds(1);
		EngineMetrics metrics = new EngineMetrics(this.registry, this.jdbc, null, Clock.fixed(now, ZoneOffset.UTC));
		metrics.started();
		assertThat(this.registry.scrape()).as("nothing read yet: a scrape reads no table")
			.contains("reporting_jobs_due_backlog 0");
		metrics.refresh();
		assertThat(this.registry.scrape()).contains("reporting_jobs_due_backlog 2")
			.contains("reporting_incidents_open{process=\"failing\"} 0")
			.contains("reporting_incident_oldest_age_seconds 0");

		Job job = this.engine.getManagementService().createJobQuery().listPage(0, 1).get(0);
		assertThatThrownBy(() -> this.engine.getManagementService().executeJob(job.getId()))
			.hasMessageContaining("exit 1");
		PrometheusMeterRegistry laterRegistry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		EngineMetrics later = new EngineMetrics(laterRegistry, this.jdbc, null,
				Clock.fixed(now.plusSeconds(60), ZoneOffset.UTC));
		later.started();
		later.refresh();

		assertThat(laterRegistry.scrape()).contains("reporting_jobs_due_backlog 1")
			.contains("reporting_incidents_open{process=\"failing\"} 1")
			.containsPattern("reporting_incident_oldest_age_seconds (5\\d|60)\\.");
	}

	@Test
	void anIncidentWithoutAProcessDefinitionCountsToo() {
		EngineMetrics metrics = new EngineMetrics(this.registry, this.jdbc, null, Clock.systemUTC());
		metrics.started();
		// as an incident of a batch job, or one whose definition is gone, has it
		this.jdbc.update(
				"INSERT INTO ACT_RU_INCIDENT (ID_, REV_, INCIDENT_TIMESTAMP_, INCIDENT_TYPE_) "
						+ "VALUES ('orphan', 1, ?, 'failedJob')",
				java.sql.Timestamp.from(Instant.now().minusSeconds(30)));

		metrics.refresh();

		assertThat(this.registry.scrape()).contains("reporting_incidents_open{process=\"none\"} 1")
			.contains("reporting_incidents_open{process=\"failing\"} 0")
			.containsPattern("reporting_incident_oldest_age_seconds (29|3\\d)\\.");
	}

}
