package au.edu.unimelb.reporting.ops.duplicity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import au.edu.unimelb.reporting.ops.config.Secret;
import au.edu.unimelb.reporting.ops.shell.Command;
import au.edu.unimelb.reporting.ops.shell.CommandRunner;
import au.edu.unimelb.reporting.ops.shell.Program;

/**
 * Builds duplicity's command lines (argv only; the passphrase and the Swift key go
 * through the environment). Every backup is a {@code full} set, GPG-encrypted to one
 * public key, with GnuPG's own compression off (a custom-format dump is compressed
 * already: this is what makes encryption cheap).
 */
public final class DuplicityCommands {

	private final String gpgKeyId;

	private final Secret passphrase;

	private final Path gnupgHome;

	/** gpg never starts an agent of its own: see {@link #startAgent}. */
	static final String NO_AUTOSTART = "--no-autostart";

	private final Path archiveDir;

	private final Duration timeout;

	private final Duration retryDelay;

	/**
	 * @param gpgKeyId the key the sets are encrypted to
	 * @param passphrase the key's passphrase, needed to verify and restore
	 * ({@code PASSPHRASE})
	 * @param gnupgHome the GnuPG home that holds the key ({@code GNUPGHOME})
	 * @param archiveDir duplicity's local cache of signatures and manifests
	 * @param timeout the limit of one command
	 * @param retryDelay the wait between duplicity's own retries of a failed transfer
	 * ({@code --backend-retry-delay}; three retries)
	 */
	public DuplicityCommands(String gpgKeyId, Secret passphrase, Path gnupgHome, Path archiveDir, Duration timeout,
			Duration retryDelay) {
		this.gpgKeyId = gpgKeyId;
		this.passphrase = passphrase;
		this.gnupgHome = gnupgHome;
		this.archiveDir = archiveDir;
		this.timeout = timeout;
		this.retryDelay = retryDelay;
	}

	/**
	 * The same commands with another local cache: a set encrypted once into a run's
	 * staging folder keeps its cache there, and both go when the run ends.
	 */
	public DuplicityCommands withArchiveDir(Path otherArchiveDir) {
		return new DuplicityCommands(this.gpgKeyId, this.passphrase, this.gnupgHome, otherArchiveDir, this.timeout,
				this.retryDelay);
	}

	/** {@code duplicity full SOURCE_DIR TARGET}: a new full set. */
	public Command full(Path sourceDir, DuplicityTarget target, String name) {
		return full(sourceDir, target, name, null);
	}

	/**
	 * {@code duplicity full}, with the set's time given ({@code --current-time}) when the
	 * service runs on an injected clock (a simulated month in the tests).
	 * @param currentTime the set's time, or {@code null} for now
	 */
	public Command full(Path sourceDir, DuplicityTarget target, String name, Instant currentTime) {
		Command command = base(target, name, "full");
		if (currentTime != null) {
			command = command.withArguments(List.of("--current-time", Long.toString(currentTime.getEpochSecond())));
		}
		return command.withArguments(List.of("--volsize", "250", "--encrypt-key", this.gpgKeyId,
				"--allow-source-mismatch", sourceDir.toString(), target.url()));
	}

	/**
	 * {@code duplicity verify --compare-data TARGET DIR}: the newest set decrypts and
	 * matches the local files byte for byte.
	 */
	public Command verify(DuplicityTarget target, String name, Path localDir) {
		return base(target, name, "verify").withArguments(List.of("--compare-data", target.url(), localDir.toString()));
	}

	/** {@code duplicity collection-status TARGET}: the sets and chains there. */
	public Command collectionStatus(DuplicityTarget target, String name) {
		return base(target, name, "collection-status").withArguments(List.of(target.url()));
	}

	/**
	 * {@code duplicity remove-older-than TIME --force TARGET}: deletes every chain older
	 * than the cutoff.
	 */
	public Command removeOlderThan(DuplicityTarget target, String name, Instant cutoff) {
		return base(target, name, "remove-older-than")
			.withArguments(List.of(Long.toString(cutoff.getEpochSecond()), "--force", target.url()));
	}

	/** {@code duplicity cleanup --force TARGET}: deletes what a failed upload left. */
	public Command cleanup(DuplicityTarget target, String name) {
		return base(target, name, "cleanup").withArguments(List.of("--force", target.url()));
	}

	/** {@code duplicity restore TARGET DIR}: the newest set, into a new folder. */
	public Command restore(DuplicityTarget target, String name, Path intoDir) {
		return base(target, name, "restore").withArguments(List.of(target.url(), intoDir.toString()));
	}

	/**
	 * Makes sure the GnuPG home's agent runs, started from a clean environment and
	 * caching no passphrase ({@code default-cache-ttl 0}, {@code max-cache-ttl 0} in its
	 * {@code gpg-agent.conf}, added when missing). Call before a command that decrypts.
	 * duplicity's gpg runs with {@code --no-autostart}: an agent it started itself would
	 * inherit duplicity's environment (the passphrase, the cloud key), outlive it as a
	 * daemon, and keep the key unlocked for ten minutes.
	 */
	public void startAgent(CommandRunner runner) {
		Path config = this.gnupgHome.resolve("gpg-agent.conf");
		try {
			String current = Files.exists(config) ? Files.readString(config) : "";
			StringBuilder missing = new StringBuilder();
			for (String line : List.of("default-cache-ttl 0", "max-cache-ttl 0")) {
				if (!current.lines().map(String::strip).toList().contains(line)) {
					missing.append(line).append('\n');
				}
			}
			if (!missing.isEmpty()) {
				Files.writeString(config, (current.isEmpty() || current.endsWith("\n") ? current : current + "\n")
						+ "# reporting-ops: cache no passphrase\n" + missing);
				runner.run(gpgconf("--reload"));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write " + config, ex);
		}
		runner.run(gpgconf("--launch"));
	}

	/** {@code gpgconf ACTION gpg-agent}: launch, or reload a running agent's settings. */
	private Command gpgconf(String action) {
		return Command.of(Program.GPGCONF)
			.withArguments(List.of(action, "gpg-agent"))
			.withTimeout(Duration.ofSeconds(30))
			.withEnvironment("GNUPGHOME", this.gnupgHome.toString());
	}

	private Command base(DuplicityTarget target, String name, String action) {
		List<String> arguments = new ArrayList<>(List.of(action, "--name", name, "--archive-dir",
				this.archiveDir.toString(), "--num-retries", "3", "--backend-retry-delay",
				Long.toString(Math.max(1, this.retryDelay.toSeconds())), "--verbosity", "notice", "--gpg-options",
				action.equals("full") ? "--compress-algo=none " + NO_AUTOSTART : NO_AUTOSTART));
		Command command = Command.of(Program.DUPLICITY)
			.withArguments(arguments)
			.withTimeout(this.timeout)
			.withEnvironment("GNUPGHOME", this.gnupgHome.toString())
			// collection-status prints local times: UTC makes them unambiguous
			.withEnvironment("TZ", "UTC")
			.withSecretEnvironment("PASSPHRASE", this.passphrase);
		for (var variable : target.environment().entrySet()) {
			command = command.withEnvironment(variable.getKey(), variable.getValue());
		}
		for (var variable : target.secretEnvironment().entrySet()) {
			command = command.withSecretEnvironment(variable.getKey(), variable.getValue());
		}
		return command;
	}

}
