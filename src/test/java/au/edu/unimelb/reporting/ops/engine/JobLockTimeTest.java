package au.edu.unimelb.reporting.ops.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings;
import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings.WebFrontSettings;
import au.edu.unimelb.reporting.ops.config.InvalidSettingException;
import au.edu.unimelb.reporting.ops.deploy.DeploySettings;
import au.edu.unimelb.reporting.ops.restore.QaRestoreSettings;
import au.edu.unimelb.reporting.ops.support.TestEnvironments;
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
	void countsEachSshStepAsOneCallOfItsTimeoutPlusTheGrace() {
		EnvironmentsSettings environments = TestEnvironments.qaOnly(new WebFrontSettings("127.0.0.1", 22, "root",
				Path.of("/k"), Path.of("/kh"), "/etc/nginx/x.conf", "http://127.0.0.1/", List.of("switch"), 20), 80);
		Map<String, Duration> timeouts = JobLockTime
			.stepTimeouts(new QaRestoreSettings(List.of("true"), null, 22, "reporting", null, null, 20), environments,
					new DeploySettings(Duration.ofMillis(500), Duration.ofSeconds(10), Duration.ofMinutes(10),
							Duration.ofSeconds(60), Duration.ofMinutes(10), Duration.ofSeconds(5),
							Duration.ofMinutes(10)));
		assertThat(timeouts)
			.containsEntry("ops.environments.qa.app-server.timeout-seconds + 2 s (one SSH call)",
					Duration.ofSeconds(32))
			.containsEntry("ops.environments.qa.web-front.timeout-seconds + 2 s (one SSH call)", Duration.ofSeconds(22))
			.containsEntry("ops.qa-restore.timeout-seconds + 2 s (one SSH call)", Duration.ofSeconds(22))
			.containsEntry("ops.environments.qa.cloud.request-timeout-seconds", Duration.ofSeconds(60));
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
