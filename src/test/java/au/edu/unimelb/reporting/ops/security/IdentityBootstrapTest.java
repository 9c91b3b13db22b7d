package au.edu.unimelb.reporting.ops.security;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;

import au.edu.unimelb.reporting.ops.config.InvalidSettingException;
import au.edu.unimelb.reporting.ops.config.Secret;
import au.edu.unimelb.reporting.ops.config.ServiceSettings;
import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdentityBootstrapTest {

	private final ServiceSettings service = new ServiceSettings(Path.of("data"), ZoneId.of("UTC"), "");

	@Test
	void prodProfileRefusesToStartWithoutAnAdminPassword() {
		SecuritySettings settings = new SecuritySettings("admin", null, "jenkins", Secret.of("jenkins-pw-123"),
				List.of());
		assertThatThrownBy(() -> new IdentityBootstrap(settings, this.service, prod()))
			.isInstanceOf(InvalidSettingException.class)
			.hasMessage("Setting ops.security.admin-password is missing: the prod profile never starts without it");
	}

	@Test
	void prodProfileRefusesToStartWithoutAJenkinsPassword() {
		SecuritySettings settings = new SecuritySettings("admin", Secret.of("admin-pw-123"), "jenkins", null,
				List.of());
		assertThatThrownBy(() -> new IdentityBootstrap(settings, this.service, prod()))
			.hasMessage("Setting ops.security.jenkins-password is missing: the prod profile never starts without it");
	}

	@Test
	void otherProfilesStartWithoutPasswords() {
		SecuritySettings settings = new SecuritySettings("admin", null, "jenkins", null, List.of());
		assertThatCode(() -> new IdentityBootstrap(settings, this.service, new MockEnvironment()))
			.doesNotThrowAnyException();
	}

	private static MockEnvironment prod() {
		MockEnvironment environment = new MockEnvironment();
		environment.setActiveProfiles("prod");
		return environment;
	}

}
