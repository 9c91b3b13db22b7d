package au.edu.unimelb.reporting.ops.deploy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import au.edu.unimelb.reporting.ops.compute.ServerConsole;
import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings.AppServerSettings;
import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings.EnvironmentSettings;
import au.edu.unimelb.reporting.ops.ssh.ConsoleHostKeys;
import au.edu.unimelb.reporting.ops.ssh.HostKeyMismatchException;
import au.edu.unimelb.reporting.ops.ssh.HostKeys;
import au.edu.unimelb.reporting.ops.ssh.RemoteFile;
import au.edu.unimelb.reporting.ops.ssh.SshCommands;
import au.edu.unimelb.reporting.ops.ssh.SshException;
import au.edu.unimelb.reporting.ops.ssh.SshTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;

/**
 * How a new app server gets its secrets ({@code Task_ReadHostKeys},
 * {@code Task_DeliverSecrets}): its identity is taken from the host keys its console
 * showed at first boot, never trusted on first use, and only a server that proves it gets
 * the database password and the extra authorized keys.
 */
@Service
class NewServerSecrets {

	private static final Logger log = LoggerFactory.getLogger(NewServerSecrets.class);

	/** A Nova server id (a UUID): safe in the compute API's URL as it is. */
	static final Pattern SERVER_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

	private final DeployEnvironments environments;

	private final ServerConsole console;

	private final SshCommands ssh;

	NewServerSecrets(DeployEnvironments environments, ServerConsole console, SshCommands ssh) {
		this.environments = environments;
		this.console = console;
		this.ssh = ssh;
	}

	/**
	 * Reads the new server's SSH host keys from its console log, where cloud-init prints
	 * them at the end of the first boot: ready (with the keys, one per line), not there
	 * yet, or failed when the deadline passed without them or with blocks that are
	 * ambiguous ({@link ConsoleHostKeys}: the server's identity cannot be checked, so it
	 * gets no secret). An ambiguous console is waited on too: it stays so, and the
	 * deadline ends the wait.
	 */
	Check readHostKeys(String environment, String stackName, String serverId, Instant deadline) {
		if (serverId == null || serverId.isBlank()) {
			return Check.failed("Stack " + stackName + " has no output server_id, so the new server's host keys "
					+ "cannot be read from its console");
		}
		if (!SERVER_ID.matcher(serverId).matches()) {
			return Check.failed("Stack " + stackName + " has an output server_id that is not a server id ('"
					+ DeployService.abbreviate(serverId)
					+ "'), so the new server's host keys cannot be read from its console");
		}
		ConsoleHostKeys.Reading reading = ConsoleHostKeys.read(this.console.output(environment, serverId));
		HostKeys keys = reading.keys();
		if (!keys.isEmpty()) {
			log.info("Server {} of stack {} has host keys {} (from its console)", serverId, stackName,
					keys.format().replace('\n', ','));
			return Check.ready(keys.format());
		}
		if (reading.problem() != null) {
			log.warn("The console of server {} (stack {}) is ambiguous: {}", serverId, stackName, reading.problem());
		}
		if (Instant.now().isAfter(deadline)) {
			if (reading.problem() != null) {
				return Check.failed("The console of server " + serverId + " (stack " + stackName
						+ ") showed SSH host key blocks that are ambiguous by " + deadline + " (" + reading.problem()
						+ "): its identity cannot be checked, so it was given no secret");
			}
			return Check
				.failed("The console of server " + serverId + " (stack " + stackName + ") showed no SSH host keys by "
						+ deadline + ": its identity cannot be checked, so it was given no secret");
		}
		return Check.PENDING;
	}

	/**
	 * Writes the environment's database password and the extra authorized keys onto the
	 * new server, over SSH as the app's user, the server's host key checked against the
	 * keys its console showed. The password goes through the remote command's standard
	 * input; repeating the step writes the same files again.
	 * @param address the new server, {@code IP:PORT} (its HTTP port; SSH is
	 * {@code app-server.ssh-port})
	 * @param hostKeys what {@link #readHostKeys} found
	 * @throws HostKeyMismatchException when the server presents another key: refused,
	 * nothing sent
	 * @throws SshException when SSH failed otherwise (refused, timed out, a failed write)
	 */
	void deliverSecrets(String environment, String address, String hostKeys) {
		EnvironmentSettings settings = this.environments.environment(environment);
		AppServerSettings app = settings.appServer();
		String host = address.substring(0, address.lastIndexOf(':'));
		SshTarget target = SshTarget.withHostKeys(host, app.sshPort(), app.user(), app.privateKeyPath(),
				HostKeys.parse(hostKeys), Duration.ofSeconds(app.timeoutSeconds()));
		byte[] password = (settings.database().password().reveal() + "\n").getBytes(StandardCharsets.UTF_8);
		byte[] keys = app.extraAuthorizedKeys()
			.stream()
			.map((line) -> line + "\n")
			.collect(Collectors.joining())
			.getBytes(StandardCharsets.UTF_8);
		try {
			this.ssh.write(target, List.of(new RemoteFile(app.passwordFile(), password),
					new RemoteFile(app.authorizedKeysFile(), keys)));
		}
		finally {
			Arrays.fill(password, (byte) 0);
		}
		log.info("Delivered the {} database password to {} ({}) and {} extra authorized key(s) ({})", environment,
				target, app.passwordFile(), app.extraAuthorizedKeys().size(), app.authorizedKeysFile());
	}

}
