package au.edu.unimelb.reporting.ops.engine;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.camunda.bpm.engine.impl.ProcessEngineImpl;
import org.camunda.bpm.engine.impl.interceptor.CommandExecutor;
import org.camunda.bpm.engine.impl.jobexecutor.ExecuteJobsRunnable;
import org.camunda.bpm.engine.impl.jobexecutor.JobFailureCollector;
import org.camunda.bpm.engine.spring.components.jobexecutor.SpringJobExecutor;

/**
 * Camunda's Spring job executor that knows which jobs this node is executing at this
 * moment, so that {@link JobLockRenewal} can keep their locks while they run. A job
 * counts from the moment its thread starts it until it ends, however it ends; jobs
 * acquired but still queued (or rejected by a full pool) do not count and keep Camunda's
 * plain lock.
 */
public class LockRenewingJobExecutor extends SpringJobExecutor {

	private final Set<String> executing = ConcurrentHashMap.newKeySet();

	/** The ids of the jobs this node's threads are executing now. */
	public Set<String> executing() {
		return Set.copyOf(this.executing);
	}

	@Override
	public Runnable getExecuteJobsRunnable(List<String> jobIds, ProcessEngineImpl processEngine) {
		return new ExecuteJobsRunnable(jobIds, processEngine) {
			@Override
			protected void executeJob(String jobId, CommandExecutor commandExecutor,
					JobFailureCollector jobFailureCollector) {
				LockRenewingJobExecutor.this.executing.add(jobId);
				try {
					super.executeJob(jobId, commandExecutor, jobFailureCollector);
				}
				finally {
					LockRenewingJobExecutor.this.executing.remove(jobId);
				}
			}
		};
	}

}
