package au.edu.unimelb.reporting.ops.engine;

import java.util.UUID;

import au.edu.unimelb.reporting.ops.config.ServiceSettings;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
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
 * usual, as a {@link LockRenewingJobExecutor}; and the node's name as the engine's host
 * name, so that Camunda's job log says which node ran each step.
 */
@Configuration(proxyBeanMethods = false)
class JobExecutorConfiguration {

	@Bean
	@ConditionalOnProperty(prefix = "camunda.bpm.job-execution", name = "enabled", havingValue = "true",
			matchIfMissing = true)
	static LockRenewingJobExecutor jobExecutor(
			@Qualifier(DefaultJobConfiguration.JobConfiguration.CAMUNDA_TASK_EXECUTOR_QUALIFIER) TaskExecutor tasks,
			CamundaBpmProperties properties, ServiceSettings service) {
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
		// readable in ACT_RU_JOB.LOCK_OWNER_ and unique for each start of each node
		executor.setLockOwner(service.node() + "/" + UUID.randomUUID().toString().substring(0, 8));
		return executor;
	}

	@Bean
	static StartupLock startupLock() {
		return new StartupLock();
	}

	@Bean
	static AbstractProcessEnginePlugin nodeNamePlugin(ServiceSettings service) {
		return new AbstractProcessEnginePlugin() {
			@Override
			public void preInit(ProcessEngineConfigurationImpl configuration) {
				configuration.setHostname(service.node());
			}
		};
	}

}
