package au.edu.unimelb.reporting.ops.release;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.StandaloneInMemProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The release metrics on a real (in-memory) engine: the UAT tasks are counted from its
 * tables, whoever may see them, on the metrics' own thread, and never while a scrape
 * waits.
 */
class ReleaseMetricsTest {

	static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

	final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

	ProcessEngine engine;

	JdbcTemplate jdbc;

	ReleaseMetrics metrics;

	@BeforeEach
	void engine() {
		StandaloneInMemProcessEngineConfiguration configuration = new StandaloneInMemProcessEngineConfiguration();
		configuration.setJdbcUrl("jdbc:h2:mem:release-metrics;DB_CLOSE_DELAY=1000");
		// a name of its own: closing an engine named "default" would unregister the
		// process tests' engine
		configuration.setProcessEngineName("release-metrics");
		configuration.setDatabaseSchemaUpdate("create-drop");
		configuration.setHistory("full");
		configuration.setJobExecutorActivate(false);
		this.engine = configuration.buildProcessEngine();
		this.engine.getRepositoryService()
			.createDeployment()
			.addModelInstance("release.bpmn",
					Bpmn.createExecutableProcess(ReleaseProcess.KEY)
						.camundaHistoryTimeToLive(1)
						.startEvent()
						.subProcess(ReleaseProcess.SUBPROCESS_UAT)
						.embeddedSubProcess()
						.startEvent()
						.userTask(ReleaseProcess.TASK_UAT)
						.camundaCandidateGroups("testers")
						.exclusiveGateway("Gateway_Enough")
						.condition("partly", "${!enough}")
						.connectTo(ReleaseProcess.TASK_UAT)
						.moveToNode("Gateway_Enough")
						.condition("enough", "${enough}")
						.endEvent()
						.subProcessDone()
						.userTask("Task_Other")
						.endEvent()
						.done())
			.addModelInstance("other.bpmn",
					Bpmn.createExecutableProcess("other")
						.camundaHistoryTimeToLive(1)
						.startEvent()
						.userTask(ReleaseProcess.TASK_UAT)
						.endEvent()
						.done())
			.deploy();
		this.jdbc = new JdbcTemplate(new DriverManagerDataSource("jdbc:h2:mem:release-metrics", "sa", ""));
		this.metrics = new ReleaseMetrics(this.registry, this.jdbc, Clock.fixed(NOW, ZoneOffset.UTC));
	}

	@AfterEach
	void close() {
		ClockUtil.reset();
		this.engine.close();
	}

	@Test
	void countsEveryOpenUatTaskOfTheReleasesAndTheAgeOfTheOldestFromTheEnginesTables() {
		ClockUtil.setCurrentTime(java.util.Date.from(NOW.minusSeconds(7200)));
		String oldest = this.engine.getRuntimeService().startProcessInstanceByKey(ReleaseProcess.KEY).getId();
		ClockUtil.setCurrentTime(java.util.Date.from(NOW.minusSeconds(60)));
		this.engine.getRuntimeService().startProcessInstanceByKey(ReleaseProcess.KEY);
		// another process's task of the same id, and a release past its UAT, do not count
		this.engine.getRuntimeService().startProcessInstanceByKey("other");
		String past = this.engine.getRuntimeService().startProcessInstanceByKey(ReleaseProcess.KEY).getId();
		this.engine.getTaskService()
			.complete(this.engine.getTaskService().createTaskQuery().processInstanceId(past).singleResult().getId(),
					java.util.Map.of("enough", true));
		// the oldest release's first approval of two: a new task, the same wait
		this.engine.getTaskService()
			.complete(this.engine.getTaskService().createTaskQuery().processInstanceId(oldest).singleResult().getId(),
					java.util.Map.of("enough", false));

		assertThat(this.registry.scrape()).as("nothing read yet: the scrape reads no table")
			.contains("reporting_uat_tasks_waiting 0");
		this.metrics.refresh();

		assertThat(this.registry.scrape()).contains("reporting_uat_tasks_waiting 2")
			.contains("reporting_uat_oldest_waiting_age_seconds 7200");
	}

	@Test
	void noUatTaskIsZeroAndAFailingDatabaseKeepsTheLastValues() {
		this.engine.getRuntimeService().startProcessInstanceByKey(ReleaseProcess.KEY);
		this.metrics.refresh();
		assertThat(this.registry.scrape()).contains("reporting_uat_tasks_waiting 1");

		this.jdbc.execute("ALTER TABLE ACT_RU_TASK RENAME TO ACT_RU_TASK_GONE");
		try {
			org.assertj.core.api.Assertions.assertThatThrownBy(this.metrics::refresh)
				.as("thrown to MetricsReads, which counts it")
				.isInstanceOf(org.springframework.dao.DataAccessException.class);
			assertThat(this.registry.scrape()).contains("reporting_uat_tasks_waiting 1");
		}
		finally {
			this.jdbc.execute("ALTER TABLE ACT_RU_TASK_GONE RENAME TO ACT_RU_TASK");
		}
		this.engine.getTaskService()
			.complete(this.engine.getTaskService().createTaskQuery().singleResult().getId(),
					java.util.Map.of("enough", true));
		this.metrics.refresh();
		assertThat(this.registry.scrape()).contains("reporting_uat_tasks_waiting 0")
			.contains("reporting_uat_oldest_waiting_age_seconds 0");
	}

	@Test
	void countsEachDecisionFromZeroAndTimesItFromTheQaDeploy() {
		assertThat(this.registry.scrape()).contains("reporting_release_decisions_total{outcome=\"approved\"} 0")
			.contains("reporting_release_decisions_total{outcome=\"qa_changed\"} 0");

		this.metrics.decided(ReleaseProcess.APPROVED, NOW.minusSeconds(3 * 3600));
		this.metrics.decided(ReleaseProcess.PARTLY_APPROVED, NOW.minusSeconds(3600));

		assertThat(this.registry.scrape()).contains("reporting_release_decisions_total{outcome=\"approved\"} 1")
			.doesNotContain("partly")
			.contains("reporting_release_decision_duration_seconds_count 1")
			.contains("reporting_release_decision_duration_seconds_bucket{le=\"3600.0\"} 0")
			.contains("reporting_release_decision_duration_seconds_bucket{le=\"14400.0\"} 1");
	}

}
