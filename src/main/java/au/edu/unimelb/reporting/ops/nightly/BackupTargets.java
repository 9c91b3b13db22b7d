package au.edu.unimelb.reporting.ops.nightly;

import au.edu.unimelb.reporting.ops.duplicity.CollectionStatus;
import au.edu.unimelb.reporting.ops.duplicity.DuplicityCommands;
import au.edu.unimelb.reporting.ops.duplicity.DuplicityTarget;
import au.edu.unimelb.reporting.ops.shell.CommandResult;
import au.edu.unimelb.reporting.ops.shell.CommandRunner;

import org.springframework.stereotype.Component;

/**
 * Where the sets go: one duplicity target per tier ({@code target-url-prefix} plus the
 * tier's suffix, on Swift or a local folder), and the duplicity commands that reach them
 * with the settings' key, cache, timeout and retry delay. Backups write every tier;
 * qa-restore reads the daily one.
 */
@Component
public class BackupTargets {

	private final BackupSettings settings;

	private final CommandRunner runner;

	public BackupTargets(BackupSettings settings, CommandRunner runner) {
		this.settings = settings;
		this.runner = runner;
	}

	/**
	 * The duplicity commands, with the GnuPG key, cache, timeout and transfer retry delay
	 * of the settings; the GnuPG home's agent is running, started clean (see
	 * {@link DuplicityCommands#startAgent}), so whatever a command decrypts it decrypts
	 * through that agent.
	 */
	public DuplicityCommands duplicity() {
		DuplicityCommands commands = new DuplicityCommands(this.settings.gpgKeyId(), this.settings.gpgPassphrase(),
				this.settings.gnupgHome(), this.settings.archiveDir(), this.settings.commandTimeout(),
				this.settings.transferRetryDelay());
		commands.startAgent(this.runner);
		return commands;
	}

	/** A tier's target. */
	public DuplicityTarget target(Tier tier) {
		String url = tier.targetUrl(this.settings);
		BackupSettings.SwiftSettings swift = this.settings.swift();
		if (url.startsWith("swift://")) {
			return new DuplicityTarget(url, swift.authUrl(), swift.authVersion(), swift.user(), swift.key());
		}
		return DuplicityTarget.file(url);
	}

	/** Duplicity's name for a tier's cache ({@code --name}). */
	public static String name(Tier tier) {
		return "reporting" + tier.suffix();
	}

	/**
	 * Reads a tier's sets.
	 * @throws StepFailedException (retryable) when collection-status fails
	 */
	public CollectionStatus status(DuplicityCommands duplicity, DuplicityTarget target, Tier tier) {
		CommandResult result = StepFailedException.whenFails("duplicity collection-status of " + target,
				() -> this.runner.run(duplicity.collectionStatus(target, name(tier))));
		return CollectionStatus.parse(result.stdout());
	}

	/** The daily tier's target, which qa-restore restores from. */
	public DuplicityTarget dailyTarget() {
		return target(Tier.DAILY);
	}

	/** Duplicity's name for the daily tier's cache ({@code --name}). */
	public static String dailyName() {
		return name(Tier.DAILY);
	}

	/** Reads the daily tier's sets. */
	public CollectionStatus dailyStatus() {
		return status(duplicity(), dailyTarget(), Tier.DAILY);
	}

}
