package au.edu.unimelb.reporting.ops.restore;

import java.time.Duration;

import au.edu.unimelb.reporting.ops.config.SecretGuard;
import au.edu.unimelb.reporting.ops.deploy.DeploymentRecords;
import au.edu.unimelb.reporting.ops.ssh.SshCommands;
import au.edu.unimelb.reporting.ops.ssh.SshResult;
import au.edu.unimelb.reporting.ops.ssh.SshTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;

/**
 * qa-restore's last step ({@code Task_MigrateQa}): the QA app's schema migrations, over
 * SSH on the QA app server ({@code ops.qa-restore.*}), on the restored data.
 */
@Service
class QaMigrations {

	private static final Logger log = LoggerFactory.getLogger(QaMigrations.class);

	private final QaRestoreSettings settings;

	private final SshCommands ssh;

	private final DeploymentRecords deployments;

	private final SecretGuard guard;

	QaMigrations(QaRestoreSettings settings, SshCommands ssh, DeploymentRecords deployments, SecretGuard guard) {
		this.settings = settings;
		this.ssh = ssh;
		this.deployments = deployments;
		this.guard = guard;
	}

	/**
	 * Runs QA's migrations on the QA app server.
	 * @return the end of their output, configured secrets masked
	 * @throws IllegalStateException when they fail: the step retries, then raises an
	 * incident; QA keeps the restored data
	 */
	String migrate(String runId) {
		String host = migrateHost();
		SshTarget target = new SshTarget(host, this.settings.port(), this.settings.user(),
				this.settings.privateKeyPath(), this.settings.knownHostsPath(),
				Duration.ofSeconds(this.settings.timeoutSeconds()));
		SshResult result = this.ssh.run(target, this.settings.migrateCommand());
		if (result.exitStatus() != 0) {
			// The app's own output may name its settings (a connection string, say):
			// masked,
			// as it reaches the incident, the job log and the service log.
			throw new IllegalStateException(
					"QA migrations (" + String.join(" ", this.settings.migrateCommand()) + ") on " + host
							+ " exited with " + result.exitStatus() + ": " + this.guard.mask(tail(result.stderr())));
		}
		log.info("QA restore {}: migrations ran on {}", runId, host);
		return this.guard.mask(tail(result.stdout()));
	}

	private String migrateHost() {
		if (this.settings.host() != null && !this.settings.host().isBlank()) {
			return this.settings.host();
		}
		String address = this.deployments.serving("qa")
			.map((record) -> record.address())
			.orElseThrow(() -> new IllegalStateException(
					"No QA app server is known: set ops.qa-restore.host, " + "or deploy QA first"));
		return address.substring(0, address.lastIndexOf(':'));
	}

	private static String tail(String text) {
		String trimmed = (text == null) ? "" : text.strip();
		return (trimmed.length() > 1000) ? "…" + trimmed.substring(trimmed.length() - 1000) : trimmed;
	}

}
