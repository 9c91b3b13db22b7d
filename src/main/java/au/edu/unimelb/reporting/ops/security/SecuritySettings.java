package au.edu.unimelb.reporting.ops.security;

import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

import au.edu.unimelb.reporting.ops.config.HasSecrets;
import au.edu.unimelb.reporting.ops.config.NotBlankSecret;
import au.edu.unimelb.reporting.ops.config.Secret;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The people and machines that may use the service ({@code ops.security.*}). They are
 * created in the engine's identity store at every start; a changed password here replaces
 * the stored one. Passwords come from the environment or files only.
 *
 * @param adminId the administrator's user id (group {@code camunda-admin})
 * @param adminPassword the administrator's password; when absent and the user does not
 * exist yet, one is generated into {@code <data-dir>/initial-admin-password} (refused in
 * the {@code prod} profile)
 * @param jenkinsId the user Jenkins calls the REST API as
 * @param jenkinsPassword its password; without one the user is not created (required in
 * the {@code prod} profile)
 * @param testers the members of the {@code testers} group, who approve UAT in Tasklist
 */
@Validated
@ConfigurationProperties("ops.security")
public record SecuritySettings(
		@DefaultValue("admin") @NotBlank @Pattern(
				regexp = SecuritySettings.USER_ID, message = SecuritySettings.USER_ID_MESSAGE) String adminId,
		@NotBlankSecret Secret adminPassword,
		@DefaultValue("jenkins") @NotBlank @Pattern(regexp = SecuritySettings.USER_ID,
				message = SecuritySettings.USER_ID_MESSAGE) String jenkinsId,
		@NotBlankSecret Secret jenkinsPassword, @DefaultValue @Valid List<Tester> testers) implements HasSecrets {

	static final String USER_ID = "[a-z][a-z0-9._-]{0,63}";

	static final String USER_ID_MESSAGE = "must be a user id: lower case letters, digits, . _ - (at most 64)";

	@Override
	public Stream<Secret> secrets() {
		return Stream
			.concat(Stream.of(this.adminPassword, this.jenkinsPassword), this.testers.stream().map(Tester::password))
			.filter(Objects::nonNull);
	}

	/**
	 * A tester, a member of the {@code testers} group.
	 *
	 * @param id the user id
	 * @param password the password (environment or file only)
	 * @param firstName shown in Tasklist
	 * @param lastName shown in Tasklist
	 * @param email where reminders go
	 */
	public record Tester(@NotBlank @Pattern(regexp = USER_ID, message = USER_ID_MESSAGE) String id,
			@NotNull @NotBlankSecret Secret password, @Size(max = 100) String firstName,
			@Size(max = 100) String lastName, @Email String email) {
	}

}
