package au.edu.unimelb.reporting.ops.engine;

import org.camunda.bpm.engine.impl.jobexecutor.JobExecutor;
import org.camunda.bpm.spring.boot.starter.configuration.impl.DefaultJobConfiguration;
import org.camunda.bpm.spring.boot.starter.property.CamundaBpmProperties;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.TaskExecutor;

/**
 * The job executor: the starter's, configured from {@code camunda.bpm.job-execution.*} as
 * usual, as a {@link LockRenewingJobExecutor}.
 */
@Configuration(proxyBeanMethods = false)
class JobExecutorConfiguration {

	@Bean
	@ConditionalOnProperty(prefix = "camunda.bpm.job-execution", name = "enabled", havingValue = "true")
	static LockRenewingJobExecutor jobExecutor(
			@Qualifier(DefaultJobConfiguration.JobConfiguration.CAMUNDA_TASK_EXECUTOR_QUALIFIER) TaskExecutor tasks,
			CamundaBpmProperties properties) {
		JobExecutor configured = DefaultJobConfiguration.JobConfiguration.jobExecutor(tasks, properties);
		LockRenewingJobExecutor executor = new LockRenewingJobExecutor();
		executor.setTaskExecutor(tasks);
		executor.setRejectedJobsHandler(configured.getRejectedJobsHandler());
		executor.setLockTimeInMillis(configured.getLockTimeInMillis());
		executor.setMaxJobsPerAcquisition(configured.getMaxJobsPerAcquisition());
		executor.setWaitTimeInMillis(configured.getWaitTimeInMillis());
		executor.setMaxWait(configured.getMaxWait());
		executor.setBackoffTimeInMillis(configured.getBackoffTimeInMillis());
		executor.setMaxBackoff(configured.getMaxBackoff());
		executor.setBackoffDecreaseThreshold(configured.getBackoffDecreaseThreshold());
		executor.setWaitIncreaseFactor(configured.getWaitIncreaseFactor());
		executor.setAutoActivate(configured.isAutoActivate());
		return executor;
	}

}
