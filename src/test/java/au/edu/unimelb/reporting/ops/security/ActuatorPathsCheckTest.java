package au.edu.unimelb.reporting.ops.security;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ActuatorPathsCheckTest {

	@Test
	void refusesAnotherBasePathOrAManagementPortOfItsOwn() {
		assertThatCode(() -> new ActuatorPathsCheck("/actuator", "", "8080")).doesNotThrowAnyException();
		assertThatCode(() -> new ActuatorPathsCheck("/actuator", "8080", "8080")).doesNotThrowAnyException();
		assertThatThrownBy(() -> new ActuatorPathsCheck("/manage", "", "8080"))
			.hasMessageStartingWith("Setting management.endpoints.web.base-path must stay /actuator");
		assertThatThrownBy(() -> new ActuatorPathsCheck("/actuator", "9090", "8080"))
			.hasMessageStartingWith("Setting management.server.port must be unset");
	}

}
