package au.edu.unimelb.reporting.ops.engine;

import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

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
 *
 * <p>
 * A failed job's retries and exception are written by Camunda's failed-job listener,
 * which first compares the job's lock expiry in the database with the one it was acquired
 * with, and skips a job whose lock changed as "acquired again by another executor". A
 * renewed lock changes it, so a step that failed after a renewal would keep its retries
 * and no exception, stay locked until the lock ran out and then run again as if for the
 * first time, for ever, without an incident. So when a job fails, its lock is renewed no
 * more and the job the listener compares with carries the expiry that this node's last
 * renewal wrote.
 */
public class LockRenewingJobExecutor extends SpringJobExecutor {

	private final Set<String> executing = ConcurrentHashMap.newKeySet();

	/** The lock expiry that the last renewal wrote, by job id. */
	private final Map<String, Date> renewedUntil = new ConcurrentHashMap<>();

	/**
	 * Jobs this node executed that succeeded, and that failed (a try, not an incident).
	 */
	private final AtomicLong succeeded = new AtomicLong();

	private final AtomicLong failed = new AtomicLong();

	/** Held by a renewal round, and by a job that stops being renewed. */
	private final Object renewal = new Object();

	/** The ids of the jobs this node's threads are executing now. */
	public Set<String> executing() {
		return Set.copyOf(this.executing);
	}

	/**
	 * @return how many jobs this node executed that succeeded, since it started
	 */
	public long succeeded() {
		return this.succeeded.get();
	}

	/**
	 * @return how many job tries on this node failed, since it started
	 */
	public long failed() {
		return this.failed.get();
	}

	/**
	 * One round of renewal: {@code renew} gets the ids of the jobs executing now and
	 * returns the lock expiry it wrote for them (or {@code null} when it wrote none). No
	 * job stops being renewed while a round runs.
	 */
	void renewLocks(Function<Set<String>, Date> renew) {
		synchronized (this.renewal) {
			Set<String> jobs = executing();
			Date until = renew.apply(jobs);
			if (until != null) {
				jobs.stream().filter(this.executing::contains).forEach((job) -> this.renewedUntil.put(job, until));
			}
		}
	}

	/**
	 * Renews a job's lock no more.
	 * @return the lock expiry this node last wrote for it, or {@code null}
	 */
	private Date stopRenewing(String jobId) {
		synchronized (this.renewal) {
			this.executing.remove(jobId);
			return this.renewedUntil.remove(jobId);
		}
	}

	@Override
	public Runnable getExecuteJobsRunnable(List<String> jobIds, ProcessEngineImpl processEngine) {
		return new ExecuteJobsRunnable(jobIds, processEngine) {
			@Override
			protected void executeJob(String jobId, CommandExecutor commandExecutor,
					JobFailureCollector jobFailureCollector) {
				RenewedLockFailureCollector failures = new RenewedLockFailureCollector(jobId);
				LockRenewingJobExecutor.this.executing.add(jobId);
				try {
					super.executeJob(jobId, commandExecutor, failures);
				}
				finally {
					stopRenewing(jobId);
					// what the caller reads afterwards (whether to log the failure)
					jobFailureCollector.setJob(failures.getJob());
					jobFailureCollector.setFailedActivityId(failures.getFailedActivityId());
					if (failures.getFailure() != null) {
						jobFailureCollector.setFailure(failures.getFailure());
						LockRenewingJobExecutor.this.failed.incrementAndGet();
					}
					else if (failures.getJob() != null) {
						LockRenewingJobExecutor.this.succeeded.incrementAndGet();
					}
				}
			}
		};
	}

	/**
	 * Told of the job's failure before the failed-job listener runs: stops renewing its
	 * lock and gives its job the expiry the last renewal wrote.
	 */
	private final class RenewedLockFailureCollector extends JobFailureCollector {

		RenewedLockFailureCollector(String jobId) {
			super(jobId);
		}

		@Override
		public void setFailure(Throwable failure) {
			super.setFailure(failure);
			Date renewed = stopRenewing(getJobId());
			if (renewed != null && getJob() != null) {
				getJob().setLockExpirationTime(renewed);
			}
		}

	}

}
