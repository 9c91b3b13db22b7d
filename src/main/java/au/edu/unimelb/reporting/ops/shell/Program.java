package au.edu.unimelb.reporting.ops.shell;

/**
 * Every program the service needs on its own machine: the ones its facades start through
 * {@link CommandRunner}, and the ones those start in turn. The one list the code and the
 * container image share. What is checked of it, on the compiled classes and the
 * {@code Dockerfile} ({@code DockerfileTest}):
 * <ul>
 * <li>the service's code starts a program only as a {@link Command}, and a command's
 * program is always one of this list: {@link Command#of(Program, String...)} is the only
 * way the code has to make one. No class but {@link CommandRunner} uses
 * {@link ProcessBuilder}, and none calls {@link Runtime#exec};</li>
 * <li>the image (the {@code Dockerfile}'s final stage) installs, and does not remove
 * again, a Debian package that ships each program listed here.</li>
 * </ul>
 * The runner starts each command through {@link #SETPRIV}: the program after its
 * {@code --} is the command's, so one of this list; {@link Command#of} refuses setpriv
 * itself, whose arguments would name a program that nothing checks.
 *
 * <p>
 * Not checked: which programs a listed one starts in turn ({@link #GPG} and
 * {@link #GPG_AGENT} are here because duplicity and gpgconf start them, as their
 * documentation says), and a program started through native code or by reflection on a
 * class named at run time.
 *
 * <p>
 * Not here: what runs on other machines over SSH (the web front's switch script, the QA
 * app's migrations), and SSH itself, which the service speaks through JSch.
 */
public enum Program {

	/**
	 * util-linux's {@code setpriv}, which the runner starts every other program through
	 * ({@code --pdeathsig KILL}: the kernel kills it when this node dies). An absolute
	 * path: the runner checks that it is there before it uses it. No command names it.
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
