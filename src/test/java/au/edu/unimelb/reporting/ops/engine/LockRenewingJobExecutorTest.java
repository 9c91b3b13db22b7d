package au.edu.unimelb.reporting.ops.engine;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import au.edu.unimelb.reporting.ops.config.Secret;
import au.edu.unimelb.reporting.ops.config.SecretGuard;
import au.edu.unimelb.reporting.ops.shell.CommandRunner;
import org.awaitility.Awaitility;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.cfg.StandaloneInMemProcessEngineConfiguration;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.Test;

import org.springframework.core.task.SimpleAsyncTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LockRenewingJobExecutor} on a real engine: a step that fails after its lock was
 * renewed is a failed try like any other (its retries count down, its exception is kept,
 * its next try waits for its retry cycle), not a job left locked and tried again later as
 * if for the first time.
 */
class LockRenewingJobExecutorTest {

	static final Duration LOCK = Duration.ofMinutes(1);

	@Test
	void aStepThatFailsAfterItsLockWasRenewedCountsAsAFailedTry() throws Exception {
		CountDownLatch running = new CountDownLatch(1);
		CountDownLatch fail = new CountDownLatch(1);
		JavaDelegate step = (execution) -> {
			running.countDown();
			fail.await(30, TimeUnit.SECONDS);
			throw new IllegalStateException("exit 50: Read-only file system");
		};
		LockRenewingJobExecutor executor = new LockRenewingJobExecutor();
		executor.setTaskExecutor(new SimpleAsyncTaskExecutor("lock-renewal-test-"));
		executor.setLockTimeInMillis((int) LOCK.toMillis());
		executor.setWaitTimeInMillis(100);
		executor.setMaxWait(200);
		StandaloneInMemProcessEngineConfiguration configuration = new StandaloneInMemProcessEngineConfiguration();
		configuration.setJdbcUrl("jdbc:h2:mem:lock-renewing-executor;DB_CLOSE_DELAY=1000");
		// a name of its own: closing an engine named "default" would unregister the
		// process tests' engine, which later process tests in this JVM look up by that
		// name
		configuration.setProcessEngineName("lock-renewing-executor");
		configuration.setDatabaseSchemaUpdate("create-drop");
		configuration.setHistory("full");
		configuration.setJobExecutor(executor);
		configuration.setJobExecutorActivate(true);
		configuration.setBeans(Map.of("step", step));
		ProcessEngine engine = configuration.buildProcessEngine();
		try {
			engine.getRepositoryService()
				.createDeployment()
				.addModelInstance("renewed.bpmn",
						Bpmn.createExecutableProcess("renewed")
							.camundaHistoryTimeToLive(1)
							.startEvent()
							.serviceTask("Task_Step")
							.camundaAsyncBefore()
							.camundaDelegateExpression("${step}")
							.camundaFailedJobRetryTimeCycle("R3/PT10M")
							.endEvent()
							.done())
				.deploy();
			String instance = engine.getRuntimeService().startProcessInstanceByKey("renewed").getId();
			assertThat(running.await(30, TimeUnit.SECONDS)).as("the step runs").isTrue();
			JobLockRenewal renewal = new JobLockRenewal(null, configuration.getDataSource(),
					new CommandRunner(new SecretGuard(List.of(Secret.of("unused-secret-3c")))));
			renewal.renew(executor, LOCK);
			fail.countDown();

			ManagementService management = engine.getManagementService();
			Job job = Awaitility.await("the step's failed try")
				.atMost(Duration.ofSeconds(20))
				.until(() -> management.createJobQuery().processInstanceId(instance).singleResult(),
						(failed) -> failed.getExceptionMessage() != null);
			assertThat(job.getExceptionMessage()).contains("Read-only file system");
			assertThat(job.getRetries()).as("two tries left of three").isEqualTo(2);
			assertThat(management.getJobExceptionStacktrace(job.getId())).contains("IllegalStateException");
			assertThat(executor.failed()).as("counted for reporting_jobs_failed_total").isEqualTo(1);
			assertThat(executor.succeeded()).isZero();
		}
		finally {
			fail.countDown();
			engine.close();
		}
	}

}
