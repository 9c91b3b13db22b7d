package au.edu.unimelb.reporting.ops.config;

import java.util.Objects;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The two environments the service ships to, {@code qa} and {@code prod}
 * ({@code ops.environments.*}). An environment that is not configured cannot be deployed
 * to (the deploy process says so); one that is configured is validated as a whole at
 * start.
 *
 * @param qa the internal QA environment, where testers run UAT
 * @param prod the public production environment
 */
@Validated
@ConfigurationProperties("ops.environments")
public record EnvironmentsSettings(@Valid EnvironmentSettings qa,
		@Valid EnvironmentSettings prod) implements HasSecrets {

	/** The environment names a process accepts. */
	public static final List<String> NAMES = List.of("qa", "prod");

	/**
	 * Looks an environment up by its name.
	 * @param name {@code qa} or {@code prod}
	 * @return its settings, or empty when the name is unknown or the environment is not
	 * configured
	 */
	public Optional<EnvironmentSettings> find(String name) {
		return switch (name) {
			case "qa" -> Optional.ofNullable(this.qa);
			case "prod" -> Optional.ofNullable(this.prod);
			default -> Optional.empty();
		};
	}

	@Override
	public Stream<Secret> secrets() {
		return Stream.of(this.qa, this.prod)
			.filter(Objects::nonNull)
			.flatMap(environment -> Stream.of(environment.cloud().password(), environment.database().password()));
	}

	/**
	 * One environment: where its servers are made, which web front serves it and which
	 * database it uses.
	 *
	 * @param cloud the OpenStack project its stacks live in
	 * @param stack how its stacks are named and made
	 * @param webFront the nginx web front that proxies to its current app server
	 * @param database the application's PostgreSQL database
	 * @param appServer how the service reaches a new app server over SSH to deliver its
	 * secrets
	 * @param healthPath the app server's health path, probed before and after a switch
	 * @param healthPort the app server's HTTP port
	 */
	public record EnvironmentSettings(@NotNull @Valid @NestedConfigurationProperty CloudSettings cloud,
			@NotNull @Valid StackSettings stack, @NotNull @Valid WebFrontSettings webFront,
			@NotNull @Valid DatabaseSettings database, @DefaultValue @NotNull @Valid AppServerSettings appServer,
			@DefaultValue("/health") @NotBlank @Pattern(regexp = "/[A-Za-z0-9._~/-]*",
					message = "must be a URL path starting with /") String healthPath,
			@DefaultValue("80") @Min(1) @Max(65535) int healthPort) {
	}

	/**
	 * How the environment's stacks are named and made: a stack is called prefix + number
	 * ({@code reporting_prod_42}).
	 *
	 * @param prefix the stack name prefix, letters, digits, {@code _} and {@code -}
	 * @param template the HOT template under {@code heat/}
	 * @param environmentFile a Heat environment under {@code heat/} sent with the
	 * template (the loopback test bed maps Nova and Neutron types to Heat-internal ones),
	 * or none
	 * @param parameters the template's visible parameters (image, flavor, key, network
	 * ...); never a secret
	 * @param keepPrevious how many previous stacks are kept for rollback after a deploy
	 * @param createTimeoutMinutes the deadline for a stack to complete
	 */
	public record StackSettings(@NotBlank @Pattern(regexp = "[A-Za-z][A-Za-z0-9_-]{0,48}",
			message = "must start with a letter and hold only letters, digits, _ and - (at most 49)") String prefix,
			@DefaultValue("app-server.yaml") @NotBlank @Pattern(regexp = "[A-Za-z0-9_-]+\\.ya?ml",
					message = "must be the file name of a template under heat/") String template,
			@Pattern(regexp = "[A-Za-z0-9_/-]+\\.ya?ml",
					message = "must be the file name of an environment under heat/") String environmentFile,
			@DefaultValue Map<String, String> parameters, @DefaultValue("1") @Min(0) @Max(10) int keepPrevious,
			@DefaultValue("20") @Min(1) @Max(240) int createTimeoutMinutes) {
	}

	/**
	 * The nginx web front of the environment, reached over SSH with a key; its host key
	 * must be in the known_hosts file.
	 *
	 * @param host its SSH host name or address
	 * @param port its SSH port
	 * @param user the SSH user that may run the switch script
	 * @param privateKeyPath the service's private key (a file, readable only by the
	 * service)
	 * @param knownHostsPath the known_hosts file that holds the web front's host key
	 * @param publicUrl the URL people use, checked after a switch
	 * @param switchCommand the switch script on the web front and what runs it
	 * ({@code sudo -n
	 * /usr/local/sbin/reporting-switch}); the environment and the new address are
	 * appended
	 * @param timeoutSeconds the limit for connecting and for one switch
	 */
	public record WebFrontSettings(
			@NotBlank @Pattern(regexp = "[A-Za-z0-9.:-]+", message = "must be a host name or address") String host,
			@DefaultValue("22") @Min(1) @Max(65535) int port,
			@NotBlank @Pattern(regexp = "[a-z_][a-z0-9_-]*", message = "must be a Unix user name") String user,
			@NotNull Path privateKeyPath, @NotNull Path knownHostsPath,
			@NotNull @Pattern(regexp = "https?://.+", message = "must be an http(s) URL") String publicUrl,
			@DefaultValue( {
					"sudo", "-n",
					"/usr/local/sbin/reporting-switch" }) @NotEmpty List<@NotBlank @Pattern(
							regexp = "[A-Za-z0-9._/=-]+", message = "must be plain words") String> switchCommand,
			@DefaultValue("30") @Min(1) @Max(600) int timeoutSeconds){
	}

	/**
	 * How the service reaches a new app server over SSH, after its stack is complete, to
	 * write the database password (and extra authorized keys) onto it as the app's user.
	 * The server's host key is checked against the keys its console showed at first boot,
	 * never trusted on first use.
	 *
	 * @param user the app's Unix user on the server, which the stack's key pair logs in
	 * as
	 * @param privateKeyPath the service's private key of that key pair (a file readable
	 * only by the service)
	 * @param sshPort the server's SSH port
	 * @param passwordFile where the database password is written (mode 0600, owned by the
	 * user): a plain absolute path
	 * @param authorizedKeysFile where the extra authorized keys are written, wholesale: a
	 * plain path, relative to the user's home or absolute; the server's sshd must read it
	 * besides {@code .ssh/authorized_keys}
	 * @param extraAuthorizedKeys public key lines ({@code ssh-ed25519 AAAA... comment})
	 * that may log in as the user too, besides the stack's key pair
	 * @param timeoutSeconds the limit for connecting and for writing the files
	 */
	public record AppServerSettings(
			@DefaultValue("reporting") @NotBlank @Pattern(regexp = "[a-z_][a-z0-9_-]{0,31}",
					message = "must be a Unix user name") String user,
			@DefaultValue("/etc/reporting-ops/ssh/id_ed25519") @NotNull Path privateKeyPath,
			@DefaultValue("22") @Min(1) @Max(65535) int sshPort,
			@DefaultValue("/etc/reporting/db-password") @NotBlank @Pattern(regexp = ABSOLUTE_PATH,
					message = "must be a plain absolute path (letters, digits, . _ -; no . or .. segments)") String passwordFile,
			@DefaultValue(".ssh/authorized_keys2") @NotBlank @Pattern(regexp = PLAIN_PATH,
					message = "must be a plain path (letters, digits, . _ -; no . or .. segments)") String authorizedKeysFile,
			@DefaultValue List<@NotBlank @Pattern(regexp = PUBLIC_KEY_LINE,
					message = "must be one OpenSSH public key line (type, base64 key, optional comment; no options)") String> extraAuthorizedKeys,
			@DefaultValue("30") @Min(1) @Max(600) int timeoutSeconds) {

		/**
		 * One path segment: letters, digits, {@code . _ -}, not starting with {@code -},
		 * and neither {@code .} nor {@code ..}: safe in a shell word as it is.
		 */
		static final String SEGMENT = "(?!\\.{1,2}(/|$))[A-Za-z0-9._][A-Za-z0-9._-]*";

		/** An absolute path of plain segments. */
		public static final String ABSOLUTE_PATH = "(/" + SEGMENT + ")+";

		/** A path of plain segments, absolute or relative to the user's home. */
		public static final String PLAIN_PATH = "/?" + SEGMENT + "(/" + SEGMENT + ")*";

		/** One OpenSSH public key line without options: type, base64 blob, comment. */
		public static final String PUBLIC_KEY_LINE = "(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)"
				+ "|sk-ssh-ed25519@openssh\\.com|sk-ecdsa-sha2-nistp256@openssh\\.com) AAAA[A-Za-z0-9+/]+={0,3}( [\\x20-\\x7e]*)?";

	}

	/**
	 * The application's PostgreSQL database in this environment.
	 *
	 * @param host its host
	 * @param port its port
	 * @param name the database name
	 * @param user the role the application and the backup use
	 * @param password that role's password (environment or file only)
	 */
	public record DatabaseSettings(
			@NotBlank @Pattern(regexp = "[A-Za-z0-9.:-]+", message = "must be a host name or address") String host,
			@DefaultValue("5432") @Min(1) @Max(65535) int port,
			@NotBlank @Pattern(regexp = "[a-z_][a-z0-9_]{0,62}",
					message = "must be a plain PostgreSQL name (lower case letters, digits, _)") String name,
			@NotBlank @Pattern(regexp = "[a-z_][a-z0-9_]{0,62}",
					message = "must be a plain PostgreSQL role name") String user,
			@NotNull @NotBlankSecret Secret password) {

		/**
		 * Tells whether two settings are spelled alike: same host, port and name. Only
		 * the spelling: {@code localhost} and {@code 127.0.0.1} reach one server too,
		 * which only the server can tell ({@code PostgresDatabases.identify}).
		 * @param other the other database
		 * @return {@code true} when both spell one database alike
		 */
		public boolean sameDatabaseAs(DatabaseSettings other) {
			return this.host.equalsIgnoreCase(other.host) && this.port == other.port && this.name.equals(other.name);
		}

	}

}
