package au.edu.unimelb.reporting.ops.deploy;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings;
import au.edu.unimelb.reporting.ops.heat.StackRef;
import au.edu.unimelb.reporting.ops.webfront.SwitchResult;
import au.edu.unimelb.reporting.ops.support.ProcessJobs;
import au.edu.unimelb.reporting.ops.support.TestNotices;
import org.assertj.core.api.Assertions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.managementService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.repositoryService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * Every branch of {@code processes/rollback.bpmn}, with its services replaced
 * ({@link Rollbacks}, {@link DeployService}, {@link HealthChecks}).
 */
@Deployment(resources = "processes/rollback.bpmn")
class RollbackProcessTest {

	@RegisterExtension
	static ProcessEngineExtension engine = ProcessEngineExtension.builder()
		.configurationResource("process-test.camunda.cfg.xml")
		.build();

	static final StackRef KEPT = new StackRef("reporting_prod_6", "id-6");

	static final DeploySettings SETTINGS = new DeploySettings(Duration.ofMillis(500), Duration.ofSeconds(10),
			Duration.ofMinutes(10), Duration.ofSeconds(60), Duration.ofMinutes(10), Duration.ofSeconds(5),
			Duration.ofMinutes(10));

	final DeployService deploy = mock(DeployService.class);

	final HealthChecks health = mock(HealthChecks.class);

	final Rollbacks rollbacks = mock(Rollbacks.class);

	TestNotices notices;

	final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	final DeployMetrics metrics = new DeployMetrics(this.meters, mock(DeploymentRecords.class),
			DeployReplaceProcessTest.SETTINGS, mock(EnvironmentsSettings.class), Clock.systemUTC());

	@BeforeEach
	void registerDelegates() {
		when(this.deploy.settings()).thenReturn(SETTINGS);
		when(this.rollbacks.acceptRollback(anyString(), eq("prod"), any())).thenReturn(KEPT);
		Mocks.register("acceptRollback", new AcceptRollbackDelegate(this.rollbacks));
		Mocks.register("checkStack", new CheckStackDelegate(this.deploy));
		Mocks.register("checkServerHealth", new CheckServerHealthDelegate(this.health, SETTINGS));
		Mocks.register("switchWebFront", new SwitchWebFrontDelegate(this.deploy));
		this.notices = TestNotices.with(org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.identityService());
		Mocks.register("finishRun",
				new FinishRunListener(this.deploy, new DeployNotices(this.notices.notifications), this.metrics));
		Mocks.register("deployOutcome", new DeployOutcomeListener());
	}

	@AfterEach
	void reset() {
		Mocks.reset();
	}

	@Test
	void switchesBackToTheKeptStackWhenItIsHealthy() {
		when(this.deploy.checkStack(anyString(), eq("prod"), eq(KEPT), any())).thenReturn(Check.ready("127.0.0.12:80"));
		when(this.health.checkServer(eq("prod"), eq("127.0.0.12:80"), any())).thenReturn(Check.PENDING,
				Check.ready("127.0.0.12:80"));
		when(this.deploy.switchTo(anyString(), eq("prod"), eq("127.0.0.12:80")))
			.thenReturn(new SwitchResult("prod", "127.0.0.11:80", "127.0.0.12:80", true));

		ProcessInstance instance = start();
		run("Task_ReadTargetStack", "Task_CheckTargetHealth", "Timer_WaitForTargetHealth", "Task_CheckTargetHealth",
				"Task_SwitchWebFront", "Task_SwitchWebFront");

		assertThat(instance).isEnded()
			.hasPassed("EndEvent_RolledBack")
			.variables()
			.containsEntry("outcome", "ROLLED_BACK");
		verify(this.deploy).finish(instance.getId(), "prod", "ROLLED_BACK", null);
		Assertions.assertThat(this.meters.get("reporting.deploys").counters())
			.as("a rollback is not a deploy")
			.allSatisfy((counter) -> Assertions.assertThat(counter.count()).isZero());
		Assertions.assertThat(this.notices.mails).singleElement().satisfies((mail) -> {
			Assertions.assertThat(mail.to()).containsExactly(TestNotices.OPERATORS);
			Assertions.assertThat(mail.subject()).isEqualTo("Rolled back: prod serves reporting_prod_6 again");
			Assertions.assertThat(mail.body()).contains("Rollback (process instance): " + instance.getId());
		});
	}

	@Test
	void refusesWhenTheKeptStackIsGone() {
		when(this.deploy.checkStack(anyString(), eq("prod"), eq(KEPT), any()))
			.thenReturn(Check.failed("Stack reporting_prod_6 is GONE: "));
		ProcessInstance instance = start();
		run("Task_ReadTargetStack");

		assertThat(instance).isEnded().hasPassed("EndEvent_RollbackRefused");
		verify(this.deploy, never()).switchTo(anyString(), anyString(), anyString());
		verify(this.deploy).finish(instance.getId(), "prod", "FAILED", "Stack reporting_prod_6 is GONE: ");
		Assertions.assertThat(this.notices.mails).singleElement().satisfies((mail) -> {
			Assertions.assertThat(mail.subject()).isEqualTo("Rollback of prod failed: the web front is unchanged");
			Assertions.assertThat(mail.body())
				.contains("Stack reporting_prod_6 is GONE")
				.contains("/camunda/app/cockpit/default/#/process-instance/" + instance.getId());
		});
	}

	@Test
	void neverSwitchesToAnUnhealthyKeptServer() {
		when(this.deploy.checkStack(anyString(), eq("prod"), eq(KEPT), any())).thenReturn(Check.ready("127.0.0.12:80"));
		when(this.health.checkServer(eq("prod"), eq("127.0.0.12:80"), any()))
			.thenReturn(Check.failed("http://127.0.0.12:80/health did not answer"));
		ProcessInstance instance = start();
		run("Task_ReadTargetStack", "Task_CheckTargetHealth");

		assertThat(instance).isEnded().hasPassed("EndEvent_RollbackRefused").hasNotPassed("Task_SwitchWebFront");
		verify(this.deploy, never()).switchTo(anyString(), anyString(), anyString());
	}

	private ProcessInstance start() {
		return runtimeService().startProcessInstanceByKey(DeployReplaceProcess.ROLLBACK_KEY,
				Map.of("environment", "prod"));
	}

	private void run(String... activities) {
		for (String activity : activities) {
			Job job = managementService().createJobQuery().activityId(activity).singleResult();
			org.assertj.core.api.Assertions.assertThat(job).as("a job waits at %s", activity).isNotNull();
			execute(job);
		}
	}

	@Test
	void throwsAndCatchesOnlyTheErrorsItsConstantsName() {
		Assertions.assertThat(ProcessJobs.errorCodes(DeployReplaceProcess.ROLLBACK_KEY))
			.containsExactlyInAnyOrder(DeployReplaceProcess.ERROR_ROLLBACK_FAILED);
	}

}
