package au.edu.unimelb.reporting.ops.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings;
import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings.WebFrontSettings;
import au.edu.unimelb.reporting.ops.support.TestEnvironments;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What deploy-replace's calls to other machines take, for the job lock: each SSH step one
 * call of its timeout plus the grace, the cloud's requests, the health probe.
 */
class DeployStepTimeoutsTest {

	@Test
	void countsEachSshStepAsOneCallOfItsTimeoutPlusTheGrace() {
		EnvironmentsSettings environments = TestEnvironments.qaOnly(new WebFrontSettings("127.0.0.1", 22, "root",
				Path.of("/k"), Path.of("/kh"), "http://127.0.0.1/", List.of("switch"), 20), 80);
		DeploySettings deploy = new DeploySettings(Duration.ofMillis(500), Duration.ofSeconds(10),
				Duration.ofMinutes(10), Duration.ofSeconds(60), Duration.ofMinutes(10), Duration.ofSeconds(5),
				Duration.ofMinutes(10));

		assertThat(new DeployStepTimeouts(deploy, environments).stepTimeouts())
			.containsEntry("ops.environments.qa.app-server.timeout-seconds + 2 s (one SSH call)",
					Duration.ofSeconds(32))
			.containsEntry("ops.environments.qa.web-front.timeout-seconds + 2 s (one SSH call)", Duration.ofSeconds(22))
			.containsEntry("ops.environments.qa.cloud.request-timeout-seconds", Duration.ofSeconds(60))
			.containsEntry("ops.deploy.probe-timeout", Duration.ofSeconds(5));
	}

}
