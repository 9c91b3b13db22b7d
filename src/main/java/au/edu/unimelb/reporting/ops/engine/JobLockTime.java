package au.edu.unimelb.reporting.ops.engine;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import au.edu.unimelb.reporting.ops.backup.BackupSettings;
import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings;
import au.edu.unimelb.reporting.ops.config.InvalidSettingException;
import au.edu.unimelb.reporting.ops.deploy.DeploySettings;
import au.edu.unimelb.reporting.ops.restore.QaRestoreSettings;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;

import org.springframework.stereotype.Component;

/**
 * Refuses to start when a step could outlive its job's lock. A step holds its job's lock
 * while it runs; once the lock expires, another node (or this one) takes the job again
 * and runs the same pg_dump, upload, Heat call or switch a second time, at the same
 * moment. So the lock ({@code camunda.bpm.job-execution.lock-time-in-millis}) must be
 * longer than the longest timeout of any outside call a step makes, plus a margin.
 */
@Component
class JobLockTime {

	static final Duration MARGIN = Duration.ofSeconds(15);

	static final String SETTING = "camunda.bpm.job-execution.lock-time-in-millis";

	JobLockTime(ProcessEngineConfigurationImpl engine, BackupSettings backup, QaRestoreSettings restore,
			EnvironmentsSettings environments, DeploySettings deploy) {
		check(Duration.ofMillis(engine.getJobExecutor().getLockTimeInMillis()),
				stepTimeouts(backup, restore, environments, deploy));
	}

	/** The limits of the outside calls steps make, by the setting that sets each. */
	static Map<String, Duration> stepTimeouts(BackupSettings backup, QaRestoreSettings restore,
			EnvironmentsSettings environments, DeploySettings deploy) {
		Map<String, Duration> timeouts = new LinkedHashMap<>();
		timeouts.put("ops.backup.command-timeout", backup.commandTimeout());
		timeouts.put("ops.qa-restore.timeout-seconds", Duration.ofSeconds(restore.timeoutSeconds()));
		timeouts.put("ops.deploy.probe-timeout", deploy.probeTimeout());
		for (String name : EnvironmentsSettings.NAMES) {
			environments.find(name).ifPresent((environment) -> {
				String prefix = "ops.environments." + name + ".";
				timeouts.put(prefix + "cloud.request-timeout-seconds",
						Duration.ofSeconds(environment.cloud().requestTimeoutSeconds()));
				timeouts.put(prefix + "web-front.timeout-seconds",
						Duration.ofSeconds(environment.webFront().timeoutSeconds()));
			});
		}
		return timeouts;
	}

	/**
	 * @throws InvalidSettingException naming the longest step timeout when the lock is
	 * not longer than it plus {@link #MARGIN}
	 */
	static void check(Duration lock, Map<String, Duration> timeouts) {
		Map.Entry<String, Duration> longest = timeouts.entrySet()
			.stream()
			.max(Map.Entry.comparingByValue())
			.orElse(Map.entry("none", Duration.ZERO));
		Duration needed = longest.getValue().plus(MARGIN);
		if (lock.compareTo(needed) < 0) {
			throw new InvalidSettingException(SETTING,
					"must be at least " + needed.toMillis() + " (the longest step " + "timeout, " + longest.getKey()
							+ " = " + longest.getValue().toSeconds() + " s, plus 15 s), so "
							+ "that a running step is never taken by a second node (it is '" + lock.toMillis() + "')");
		}
	}

}
