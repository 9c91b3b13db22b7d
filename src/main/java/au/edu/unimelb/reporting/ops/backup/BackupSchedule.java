package au.edu.unimelb.reporting.ops.backup;

import java.time.ZonedDateTime;
import java.util.Date;
import java.util.TimeZone;

import au.edu.unimelb.reporting.ops.config.InvalidSettingException;
import au.edu.unimelb.reporting.ops.config.ServiceSettings;
import au.edu.unimelb.reporting.ops.nightly.BackupSettings;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.management.JobDefinition;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.spring.boot.starter.event.PostDeployEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.stereotype.Component;

/**
 * The nightly timer and the job settings the backup steps depend on
 * ({@code backupSchedule} in the models).
 *
 * <p>
 * The timer start event reads {@code ${backupSchedule.cron}} when the model is deployed,
 * and again each time it fires ({@code reevaluateTimeCycleWhenDue}). At every start this
 * bean also moves the waiting timer to the next time of the configured cron expression
 * (so a changed setting applies from tonight, not from after the next firing), and
 * suspends the timer while backups are off. Cron timers run in the JVM's default time
 * zone, which the service sets to {@code ops.time-zone}; the backup's own zone must be
 * the same.
 */
@Component("backupSchedule")
public class BackupSchedule {

	private static final Logger log = LoggerFactory.getLogger(BackupSchedule.class);

	static final String TIMER_START = "StartEvent_Nightly";

	private final BackupSettings settings;

	private final ManagementService management;

	private final RepositoryService repository;

	public BackupSchedule(BackupSettings settings, ServiceSettings service, ProcessEngineConfigurationImpl engine) {
		this.settings = settings;
		this.management = engine.getManagementService();
		this.repository = engine.getRepositoryService();
		if (settings.enabled() && !settings.timeZone().equals(service.timeZone())) {
			throw new InvalidSettingException("ops.backup.time-zone",
					"must be the service's time zone ops.time-zone (" + service.timeZone()
							+ "), which the engine reads cron timers in (it is '" + settings.timeZone() + "')");
		}
	}

	/** The nightly timer's cron expression ({@code ops.backup.cron}). */
	public String getCron() {
		return this.settings.cron();
	}

	/**
	 * Whether a verified nightly backup starts qa-restore
	 * ({@code ops.backup.qa-restore-after}).
	 */
	public boolean isQaRestoreAfter() {
		return this.settings.qaRestoreAfter();
	}

	/**
	 * After the models are deployed: suspends or activates the nightly timer per
	 * {@code ops.backup.enabled}, and moves it to the next time of the configured cron
	 * expression.
	 */
	@EventListener(PostDeployEvent.class)
	public void alignTimer() {
		ProcessDefinition latest = this.repository.createProcessDefinitionQuery()
			.processDefinitionKey(NightlyBackupProcess.KEY)
			.latestVersion()
			.singleResult();
		if (latest == null) {
			return;
		}
		JobDefinition timer = this.management.createJobDefinitionQuery()
			.processDefinitionId(latest.getId())
			.activityIdIn(TIMER_START)
			.singleResult();
		if (timer == null) {
			return;
		}
		if (!this.settings.enabled()) {
			if (!timer.isSuspended()) {
				this.management.suspendJobDefinitionById(timer.getId(), true);
			}
			log.info("Nightly backup is off (ops.backup.enabled=false): its timer is suspended");
			return;
		}
		if (timer.isSuspended()) {
			this.management.activateJobDefinitionById(timer.getId(), true);
		}
		ZonedDateTime next = CronExpression.parse(this.settings.cron())
			.next(ZonedDateTime.now(TimeZone.getDefault().toZoneId()));
		for (Job job : this.management.createJobQuery().jobDefinitionId(timer.getId()).list()) {
			Date due = Date.from(next.toInstant());
			if (!due.equals(job.getDuedate())) {
				this.management.setJobDuedate(job.getId(), due);
			}
		}
		log.info("Nightly backup scheduled by '{}' ({}): next run {}", this.settings.cron(),
				TimeZone.getDefault().getID(), next);
	}

}
