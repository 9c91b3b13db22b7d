package au.edu.unimelb.reporting.ops.shell;

/**
 * Every program the service needs on its own machine: the ones its facades start through
 * {@link CommandRunner} ({@link Command#of(Program, String...)}), and the ones those
 * start in turn. The one list the code and the container image share:
 * {@code DockerfileTest} fails when the {@code Dockerfile} does not install one of them,
 * and when main code starts a program that is not here.
 *
 * <p>
 * Not here: what runs on other machines over SSH (the web front's switch script, the QA
 * app's migrations), and SSH itself, which the service speaks through JSch.
 */
public enum Program {

	/**
	 * util-linux's {@code setpriv}, which every program is started through
	 * ({@code --pdeathsig KILL}: the kernel kills it when this node dies). An absolute
	 * path: the runner checks that it is there before it uses it.
	 */
	SETPRIV("/usr/bin/setpriv"),

	/** Dumps the Prod database ({@code postgres.PostgresCommands}). */
	PG_DUMP("pg_dump"),

	/**
	 * Reads a dump's table of contents and restores it
	 * ({@code postgres.PostgresCommands}).
	 */
	PG_RESTORE("pg_restore"),

	/**
	 * Uploads, verifies, lists, prunes and fetches the encrypted sets
	 * ({@code duplicity.DuplicityCommands}).
	 */
	DUPLICITY("duplicity"),

	/**
	 * Launches and reloads the GnuPG home's agent before duplicity decrypts
	 * ({@code duplicity.DuplicityCommands#startAgent}).
	 */
	GPGCONF("gpgconf"),

	/** Run by duplicity to encrypt and decrypt the sets. */
	GPG("gpg"),

	/** Run by gpgconf: holds the key while gpg decrypts. */
	GPG_AGENT("gpg-agent");

	private final String command;

	Program(String command) {
		this.command = command;
	}

	/**
	 * @return what is started: a name looked up on {@code PATH}, or an absolute path
	 */
	public String command() {
		return this.command;
	}

	/**
	 * @return the program's file name ({@code setpriv} for {@code /usr/bin/setpriv})
	 */
	public String fileName() {
		return this.command.substring(this.command.lastIndexOf('/') + 1);
	}

}
