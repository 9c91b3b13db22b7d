package au.edu.unimelb.reporting.ops.engine;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import au.edu.unimelb.reporting.ops.config.InvalidSettingException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The job lock must outlast the longest outside call a step makes, plus 15 s.
 */
class JobLockTimeTest {

	static final Map<String, Duration> TIMEOUTS = Map.of("ops.environments.qa.cloud.request-timeout-seconds",
			Duration.ofSeconds(60), "ops.qa-restore.timeout-seconds", Duration.ofSeconds(900));

	@Test
	void acceptsALockLongerThanTheLongestStepTimeoutPlusTheMargin() {
		assertThatCode(() -> JobLockTime.check(Duration.ofMinutes(16), TIMEOUTS)).doesNotThrowAnyException();
		assertThatCode(() -> JobLockTime.check(Duration.ofSeconds(905), TIMEOUTS)).doesNotThrowAnyException();
	}

	@Test
	void refusesALockShorterThanTheLongestCallToAnotherMachineNamingIt() {
		assertThatThrownBy(() -> JobLockTime.check(Duration.ofMinutes(5), TIMEOUTS))
			.isInstanceOf(InvalidSettingException.class)
			.hasMessage("Setting camunda.bpm.job-execution.lock-time-in-millis must be at least 905000 (the longest "
					+ "timeout of a call to another machine, ops.qa-restore.timeout-seconds = 900 s, plus 5 s), so "
					+ "that a running step is never taken by a second node (it is '300000')");
	}

	@Test
	void collectsTheTimeoutsThatEveryFeatureContributes() {
		StepTimeouts deploy = () -> Map.of("ops.environments.qa.cloud.request-timeout-seconds", Duration.ofSeconds(60));
		StepTimeouts restore = () -> Map.of("ops.qa-restore.timeout-seconds + 2 s (one SSH call)",
				Duration.ofSeconds(22));

		assertThat(JobLockTime.stepTimeouts(List.of(deploy, restore))).containsOnly(
				Map.entry("ops.environments.qa.cloud.request-timeout-seconds", Duration.ofSeconds(60)),
				Map.entry("ops.qa-restore.timeout-seconds + 2 s (one SSH call)", Duration.ofSeconds(22)));
		assertThatThrownBy(() -> JobLockTime.check(Duration.ofSeconds(30),
				Map.of("ops.environments.qa.app-server.timeout-seconds", Duration.ofSeconds(30))))
			.hasMessageContaining("ops.environments.qa.app-server.timeout-seconds = 30 s");
	}

	@Test
	void countsTheCloudAndWebFrontTimeoutsToo() {
		assertThatThrownBy(() -> JobLockTime.check(Duration.ofSeconds(60),
				Map.of("ops.qa-restore.timeout-seconds", Duration.ofSeconds(20),
						"ops.environments.prod.cloud.request-timeout-seconds", Duration.ofSeconds(120))))
			.hasMessageContaining("ops.environments.prod.cloud.request-timeout-seconds = 120 s");
	}

}
