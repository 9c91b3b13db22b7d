package au.edu.unimelb.reporting.ops.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.ZoneId;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the service as a whole ({@code ops.*}).
 *
 * @param dataDir where the service keeps its own files: the embedded H2 database, the
 * generated initial admin password, staging space
 * @param timeZone the one time zone every node reads timers and dates in
 * @param nodeName this node's name among several on one database: the host name in
 * Camunda's job log, and the start of its job lock owner (empty: the machine's host name)
 */
@Validated
@ConfigurationProperties("ops")
public record ServiceSettings(@NotNull Path dataDir, @NotNull ZoneId timeZone, @Pattern(regexp = "[A-Za-z0-9._-]{0,40}",
		message = "must be up to 40 letters, digits, dots, dashes or underscores") String nodeName) {

	/** The node's name: {@link #nodeName} or, when empty, the machine's host name. */
	public String node() {
		if (this.nodeName != null && !this.nodeName.isBlank()) {
			return this.nodeName;
		}
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "node";
		}
	}

}
