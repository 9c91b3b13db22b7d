package au.edu.unimelb.reporting.ops.security;

import java.util.Objects;
import java.util.stream.Stream;

import au.edu.unimelb.reporting.ops.config.HasSecrets;
import au.edu.unimelb.reporting.ops.config.NotBlankSecret;
import au.edu.unimelb.reporting.ops.config.Secret;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The login Prometheus scrapes {@code /actuator/prometheus} with ({@code ops.metrics.*}).
 * With a password set, that login is checked by the service itself, never by the engine's
 * users or the directory: an LDAP outage, or a directory that locks accounts after failed
 * logins, cannot blank the metrics and the alerts that would tell of it. Without one, any
 * user of the engine may read the metrics with their own login, as before.
 *
 * @param scrapeId the scrape's user name (reserved for the scrape when a password is set:
 * no engine user of that name can read the metrics with its own password)
 * @param scrapePassword the scrape's password (environment or file only; at least 16
 * characters)
 */
@Validated
@ConfigurationProperties("ops.metrics")
public record MetricsScrapeSettings(
		@DefaultValue("prometheus") @NotBlank @Pattern(regexp = SecuritySettings.USER_ID,
				message = SecuritySettings.USER_ID_MESSAGE) String scrapeId,
		@NotBlankSecret Secret scrapePassword) implements HasSecrets {

	@AssertTrue(message = "must have at least 16 characters")
	boolean isScrapePassword() {
		return this.scrapePassword == null || this.scrapePassword.isBlank()
				|| this.scrapePassword.reveal().length() >= 16;
	}

	@Override
	public Stream<Secret> secrets() {
		return Stream.of(this.scrapePassword).filter(Objects::nonNull);
	}

}
