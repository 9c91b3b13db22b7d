package au.edu.unimelb.reporting.ops.restore;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import au.edu.unimelb.reporting.ops.engine.StepTimeouts;
import au.edu.unimelb.reporting.ops.ssh.SshCommands;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The QA restore's last step: the QA app's schema migrations, run over SSH on the QA app
 * server ({@code ops.qa-restore.*}). The restore itself uses {@code ops.backup.*} and the
 * QA and Prod databases of {@code ops.environments}.
 *
 * @param migrateCommand the migrations, as plain words (no shell): {@code python3
 * /srv/reporting/manage.py migrate --noinput}
 * @param host the QA app server; when empty, the server QA's last deployment serves from
 * @param port its SSH port
 * @param user the SSH user
 * @param privateKeyPath the service's SSH key for that user
 * @param knownHostsPath the known_hosts file that holds the server's host key
 * @param timeoutSeconds the limit of the migrations: one SSH call, which the job lock
 * must outlast ({@link StepTimeouts})
 */
@Validated
@ConfigurationProperties("ops.qa-restore")
public record QaRestoreSettings(@DefaultValue( {
		"python3", "/srv/reporting/manage.py", "migrate",
		"--noinput" }) @NotEmpty List<@NotBlank @Pattern(regexp = "[A-Za-z0-9._:/=@+,-]+",
				message = "must be plain words") String> migrateCommand,
		@Pattern(regexp = "[A-Za-z0-9.:-]+", message = "must be a host name or address") String host,
		@DefaultValue("22") @Min(1) @Max(65535) int port,
		@DefaultValue("reporting") @Pattern(regexp = "[a-z_][a-z0-9_-]*",
				message = "must be a Unix user name") String user,
		@DefaultValue("/etc/reporting-ops/ssh/id_ed25519") Path privateKeyPath,
		@DefaultValue("/etc/reporting-ops/ssh/known_hosts") Path knownHostsPath,
		@DefaultValue("270") @Min(1) @Max(86400) int timeoutSeconds) implements StepTimeouts{

	@Override
	public Map<String, Duration> stepTimeouts() {
		return Map.ofEntries(SshCommands.oneCall("ops.qa-restore.timeout-seconds", this.timeoutSeconds));
	}

}
