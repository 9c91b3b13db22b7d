package au.edu.unimelb.reporting.ops.engine;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import au.edu.unimelb.reporting.ops.shell.CommandRunner;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Keeps the locks of the jobs this node is executing for as long as they run, so that the
 * job lock ({@code camunda.bpm.job-execution.lock-time-in-millis}) can be short: a node
 * killed mid-step has its step taken over by another node (or by itself, restarted)
 * within one lock time, while a step that runs longer than the lock on a living node is
 * never taken by a second one.
 *
 * <p>
 * Every quarter of the lock time the lock of every job this node's threads execute is set
 * to expire one lock time from now ({@code LOCK_EXP_TIME_} only, where this node still
 * owns it; the revision Camunda's optimistic locking checks is left alone). When renewing
 * fails for so long that the locks are about to run out (the database is unreachable from
 * here but maybe not from the other nodes), this node stops the programs its steps run,
 * since another node may start the same step soon: the step then fails here (its
 * transaction cannot commit anyway) and is done once, there.
 */
@Component
class JobLockRenewal implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(JobLockRenewal.class);

	private static final String RENEW = "UPDATE ACT_RU_JOB SET LOCK_EXP_TIME_ = :expires "
			+ "WHERE LOCK_OWNER_ = :owner AND ID_ IN (:ids)";

	private final ObjectProvider<ProcessEngineConfigurationImpl> engine;

	private final NamedParameterJdbcTemplate jdbc;

	private final CommandRunner commands;

	private ScheduledExecutorService timer;

	private volatile Instant lastRenewed = Instant.now();

	JobLockRenewal(ObjectProvider<ProcessEngineConfigurationImpl> engine, DataSource dataSource,
			CommandRunner commands) {
		this.engine = engine;
		this.jdbc = new NamedParameterJdbcTemplate(dataSource);
		this.commands = commands;
	}

	/** The longest one renewal may wait for the database: half a round, 1 to 10 s. */
	static int renewalQueryTimeoutSeconds(Duration lock) {
		return (int) Math.max(1, Math.min(10, interval(lock).toSeconds() / 2));
	}

	/** How often locks are renewed: a quarter of the lock time. */
	static Duration interval(Duration lock) {
		return lock.dividedBy(4);
	}

	@Override
	public void start() {
		if (!(this.engine.getObject().getJobExecutor() instanceof LockRenewingJobExecutor executor)) {
			return;
		}
		Duration lock = Duration.ofMillis(executor.getLockTimeInMillis());
		long every = interval(lock).toMillis();
		// A renewal never waits long on a row: a failing job's transaction may hold its
		// job's row while it tells the executor of its failure, which waits for the
		// renewal round (LockRenewingJobExecutor); the round gives up instead, and tries
		// again next time.
		this.jdbc.getJdbcTemplate().setQueryTimeout(renewalQueryTimeoutSeconds(lock));
		this.timer = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "job-lock-renewal");
			thread.setDaemon(true);
			return thread;
		});
		this.lastRenewed = Instant.now();
		this.timer.scheduleWithFixedDelay(() -> renew(executor, lock), every, every, TimeUnit.MILLISECONDS);
		log.info("Job locks of running steps are renewed every {} ms (lock time {} ms, owner {})", every,
				lock.toMillis(), executor.getLockOwner());
	}

	/** One round for the jobs an executor runs now. */
	void renew(LockRenewingJobExecutor executor, Duration lock) {
		executor.renewLocks((jobs) -> {
			Timestamp expires = expiry(lock);
			return (renew(jobs, executor.getLockOwner(), lock, Instant.now(), expires) > 0)
					? new Date(expires.getTime()) : null;
		});
	}

	private static Timestamp expiry(Duration lock) {
		return new Timestamp(ClockUtil.getCurrentTime().getTime() + lock.toMillis());
	}

	/**
	 * One round: renew the locks of the jobs running here, or, when renewing has failed
	 * for so long that the locks are about to expire, stop the programs the steps run.
	 * @param jobs the ids of the jobs this node executes now
	 * @param owner this node's lock owner
	 * @param lock the lock time
	 * @param now the time of this round
	 * @return how many locks were renewed
	 */
	int renew(Set<String> jobs, String owner, Duration lock, Instant now) {
		return renew(jobs, owner, lock, now, expiry(lock));
	}

	private int renew(Set<String> jobs, String owner, Duration lock, Instant now, Timestamp expires) {
		if (jobs.isEmpty()) {
			this.lastRenewed = now;
			return 0;
		}
		try {
			int renewed = this.jdbc.update(RENEW, Map.of("expires", expires, "owner", owner, "ids", jobs));
			this.lastRenewed = now;
			log.debug("Renewed the locks of {} of {} running jobs until {}", renewed, jobs.size(), expires);
			return renewed;
		}
		catch (RuntimeException ex) {
			Duration since = Duration.between(this.lastRenewed, now);
			log.warn("Could not renew the locks of {} running jobs for {} s: {}", jobs.size(), since.toSeconds(),
					ex.getMessage());
			if (since.plus(interval(lock)).compareTo(lock) >= 0) {
				int stopped = this.commands.stopAll("this node could not renew its job locks for " + since.toSeconds()
						+ " s, so another node may take its steps over");
				log.error("Stopped {} running programs: the job locks of {} running steps are about to expire", stopped,
						jobs.size());
			}
			return 0;
		}
	}

	/** When this node last renewed its locks (or had none to renew). */
	void renewedAt(Instant time) {
		this.lastRenewed = time;
	}

	@Override
	public void stop() {
		if (this.timer != null) {
			this.timer.shutdownNow();
			this.timer = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.timer != null;
	}

}
