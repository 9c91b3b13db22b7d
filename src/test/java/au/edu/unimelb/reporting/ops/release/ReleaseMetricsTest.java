package au.edu.unimelb.reporting.ops.release;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.task.TaskQuery;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.RETURNS_SELF;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

class ReleaseMetricsTest {

	static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

	final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

	final TaskService tasks = mock(TaskService.class);

	final TaskQuery query = mock(TaskQuery.class, RETURNS_SELF);

	final ReleaseMetrics metrics = new ReleaseMetrics(this.registry, this.tasks, Clock.fixed(NOW, ZoneOffset.UTC));

	@Test
	void countsTheOpenUatTasksAndTheAgeOfTheOldestReadingAtMostOncePerTenSeconds() {
		when(this.tasks.createTaskQuery()).thenReturn(this.query);
		when(this.query.count()).thenReturn(2L);
		Task oldest = mock(Task.class);
		when(oldest.getCreateTime()).thenReturn(Date.from(NOW.minusSeconds(7200)));
		when(this.query.listPage(0, 1)).thenReturn(List.of(oldest));

		String scrape = this.registry.scrape();
		this.registry.scrape();

		assertThat(scrape).contains("reporting_uat_tasks_waiting 2")
			.contains("reporting_uat_oldest_waiting_age_seconds 7200");
		verify(this.query, times(1)).count();
		verify(this.query, times(2)).taskDefinitionKey(ReleaseProcess.TASK_UAT);
	}

	@Test
	void theTasksAreCountedAsTheServiceNotAsTheScrapesLoginWhichIsKeptForTheRestOfTheRequest() {
		PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		IdentityService identity = mock(IdentityService.class);
		Authentication prometheus = new Authentication("prometheus", List.of());
		when(identity.getCurrentAuthentication()).thenReturn(prometheus);
		new ReleaseMetrics(registry, this.tasks, identity, Clock.fixed(NOW, ZoneOffset.UTC));
		when(this.tasks.createTaskQuery()).thenReturn(this.query);
		when(this.query.count()).thenReturn(1L);
		when(this.query.listPage(0, 1)).thenReturn(List.of());

		assertThat(registry.scrape()).contains("reporting_uat_tasks_waiting 1");

		InOrder order = inOrder(identity, this.query);
		order.verify(identity).clearAuthentication();
		order.verify(this.query).count();
		order.verify(identity).setAuthentication(prometheus);
	}

	@Test
	void noUatTaskIsZeroAndAFailingEngineKeepsTheScrape() {
		when(this.tasks.createTaskQuery()).thenReturn(this.query);
		when(this.query.count()).thenReturn(0L);
		when(this.query.listPage(0, 1)).thenReturn(List.of());
		assertThat(this.registry.scrape()).contains("reporting_uat_tasks_waiting 0")
			.contains("reporting_uat_oldest_waiting_age_seconds 0");

		when(this.tasks.createTaskQuery()).thenThrow(new ProcessEngineException("database down"));
		this.metrics.decided(ReleaseProcess.REJECTED, null); // forgets what it read
		assertThat(this.registry.scrape()).contains("reporting_uat_tasks_waiting 0");
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
