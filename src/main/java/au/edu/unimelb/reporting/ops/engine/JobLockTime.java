package au.edu.unimelb.reporting.ops.engine;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import au.edu.unimelb.reporting.ops.config.InvalidSettingException;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;

import org.springframework.stereotype.Component;

/**
 * Refuses to start when a step's call to another machine could outlive its job's lock.
 * While a node lives, {@link JobLockRenewal} keeps the locks of its running steps; if it
 * cannot (the database is unreachable from it), it stops the local programs (pg_dump,
 * duplicity) before the locks run out. What it cannot stop are calls already sent to
 * another machine: a Heat or compute request (both limited by
 * {@code cloud.request-timeout-seconds}), a web-front switch, the secrets written to a
 * new app server or the QA migrations over SSH (one call per step, ended by its deadline
 * plus the SSH facade's grace), a health probe. Each of those must end within the lock
 * ({@code camunda.bpm.job-execution.lock-time-in-millis}), with a margin, or a second
 * node could make the same call while the first is still waiting for its answer. The
 * features say what their steps' calls take ({@link StepTimeouts}).
 */
@Component
class JobLockTime {

	static final Duration MARGIN = Duration.ofSeconds(5);

	static final String SETTING = "camunda.bpm.job-execution.lock-time-in-millis";

	JobLockTime(ProcessEngineConfigurationImpl engine, List<StepTimeouts> features) {
		check(Duration.ofMillis(engine.getJobExecutor().getLockTimeInMillis()), stepTimeouts(features));
	}

	/**
	 * The limits of the calls to other machines that steps make, by the setting that sets
	 * each (local programs such as pg_dump are stopped by the renewal instead).
	 */
	static Map<String, Duration> stepTimeouts(List<StepTimeouts> features) {
		Map<String, Duration> timeouts = new LinkedHashMap<>();
		features.forEach((feature) -> timeouts.putAll(feature.stepTimeouts()));
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
					"must be at least " + needed.toMillis() + " (the longest timeout of a call to another machine, "
							+ longest.getKey() + " = " + longest.getValue().toSeconds() + " s, plus 5 s), so "
							+ "that a running step is never taken by a second node (it is '" + lock.toMillis() + "')");
		}
	}

}
