package au.edu.unimelb.reporting.ops.release;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ops.release.*} bound and validated as at start: the number of approvals a
 * release needs is 1 unless set, and 1 to 10 when set.
 */
class ReleaseSettingsTest {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
		.withUserConfiguration(Settings.class);

	@Test
	void oneApprovalUnlessSet() {
		this.runner
			.run((context) -> assertThat(context.getBean(ReleaseSettings.class).approvalsRequired()).isEqualTo(1));
		this.runner.withPropertyValues("ops.release.approvals-required=3")
			.run((context) -> assertThat(context.getBean(ReleaseSettings.class).approvalsRequired()).isEqualTo(3));
	}

	@ParameterizedTest
	@ValueSource(strings = { "0", "11", "-1" })
	void refusesANumberOfApprovalsOutsideOneToTen(String value) {
		this.runner.withPropertyValues("ops.release.approvals-required=" + value).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("ops.release.approvals-required")
				.hasMessageContaining("must be");
		});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(ReleaseSettings.class)
	static class Settings {

	}

}
