package au.edu.unimelb.reporting.ops.shell;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import au.edu.unimelb.reporting.ops.config.Secret;

/**
 * One program to run: an argv list (never a shell line), the environment variables it
 * needs (secrets go here, or in files, never in argv), a working directory and a timeout.
 * The program gets these variables and the few the runner passes on from the service
 * ({@code PATH}, {@code HOME}, {@code LANG}, {@code TZ}, {@code TMPDIR}), nothing else.
 * Immutable.
 *
 * <p>
 * The program is always a {@link Program}: {@link #of(Program, String...)} is the only
 * way the service's code has to make a command, and the {@code with…} methods change
 * everything but the program. Not a record, whose constructor would take any argv.
 */
public final class Command {

	private final List<String> argv;

	private final Map<String, String> environment;

	private final Map<String, Secret> secretEnvironment;

	private final Path workingDirectory;

	private final Duration timeout;

	private Command(List<String> argv, Map<String, String> environment, Map<String, Secret> secretEnvironment,
			Path workingDirectory, Duration timeout) {
		this.argv = List.copyOf(argv);
		this.environment = Map.copyOf(environment);
		this.secretEnvironment = Map.copyOf(secretEnvironment);
		this.workingDirectory = workingDirectory;
		this.timeout = Objects.requireNonNull(timeout, "timeout");
	}

	/**
	 * @param program one of the programs the service needs, other than
	 * {@link Program#SETPRIV}: that one is the runner's own wrapper, and the program
	 * after its {@code --} would be one that nothing checks
	 * @param arguments its arguments
	 * @return a command with no variables of its own, the service's directory and a
	 * one-minute timeout
	 */
	public static Command of(Program program, String... arguments) {
		if (program == Program.SETPRIV) {
			throw new IllegalArgumentException("setpriv is CommandRunner's wrapper: run the program itself");
		}
		return started(program.command(), arguments);
	}

	/**
	 * Any program, for {@link CommandRunner}'s own tests ({@code echo}, {@code sleep}).
	 * The service's code never calls it ({@code DockerfileTest} fails when it does): the
	 * container image installs only the programs {@link Program} lists.
	 */
	static Command anyProgram(String program, String... arguments) {
		return started(program, arguments);
	}

	private static Command started(String program, String... arguments) {
		List<String> argv = new ArrayList<>();
		argv.add(program);
		argv.addAll(List.of(arguments));
		return new Command(argv, Map.of(), Map.of(), null, Duration.ofMinutes(1));
	}

	/**
	 * @return the program and its arguments
	 */
	public List<String> argv() {
		return this.argv;
	}

	/**
	 * @return the program's own variables ({@code GNUPGHOME}, {@code TZ})
	 */
	public Map<String, String> environment() {
		return this.environment;
	}

	/**
	 * @return variables that hold secrets ({@code PGPASSWORD}, {@code PASSPHRASE});
	 * masked everywhere
	 */
	public Map<String, Secret> secretEnvironment() {
		return this.secretEnvironment;
	}

	/**
	 * @return where it runs, or {@code null} for the service's
	 */
	public Path workingDirectory() {
		return this.workingDirectory;
	}

	/**
	 * @return after this, it and its children are killed
	 */
	public Duration timeout() {
		return this.timeout;
	}

	public Command withArguments(List<String> more) {
		List<String> all = new ArrayList<>(this.argv);
		all.addAll(more);
		return new Command(all, this.environment, this.secretEnvironment, this.workingDirectory, this.timeout);
	}

	public Command withEnvironment(String name, String value) {
		Map<String, String> all = new LinkedHashMap<>(this.environment);
		all.put(name, value);
		return new Command(this.argv, all, this.secretEnvironment, this.workingDirectory, this.timeout);
	}

	public Command withSecretEnvironment(String name, Secret value) {
		Map<String, Secret> all = new LinkedHashMap<>(this.secretEnvironment);
		all.put(name, value);
		return new Command(this.argv, this.environment, all, this.workingDirectory, this.timeout);
	}

	public Command in(Path directory) {
		return new Command(this.argv, this.environment, this.secretEnvironment, directory, this.timeout);
	}

	public Command withTimeout(Duration limit) {
		return new Command(this.argv, this.environment, this.secretEnvironment, this.workingDirectory, limit);
	}

	@Override
	public boolean equals(Object other) {
		return (other instanceof Command that) && this.argv.equals(that.argv)
				&& this.environment.equals(that.environment) && this.secretEnvironment.equals(that.secretEnvironment)
				&& Objects.equals(this.workingDirectory, that.workingDirectory) && this.timeout.equals(that.timeout);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.argv, this.environment, this.secretEnvironment, this.workingDirectory, this.timeout);
	}

	@Override
	public String toString() {
		return String.join(" ", this.argv);
	}

}
