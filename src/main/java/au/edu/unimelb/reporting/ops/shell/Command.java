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
 * Immutable; build it with {@link #of(Program, String...)}.
 *
 * @param argv the program and its arguments
 * @param environment the program's own variables ({@code GNUPGHOME}, {@code TZ})
 * @param secretEnvironment variables that hold secrets ({@code PGPASSWORD},
 * {@code PASSPHRASE}); masked everywhere
 * @param workingDirectory where it runs, or {@code null} for the service's
 * @param timeout after this, it and its children are killed
 */
public record Command(List<String> argv, Map<String, String> environment, Map<String, Secret> secretEnvironment,
		Path workingDirectory, Duration timeout) {

	public Command {
		argv = List.copyOf(argv);
		environment = Map.copyOf(environment);
		secretEnvironment = Map.copyOf(secretEnvironment);
		Objects.requireNonNull(timeout, "timeout");
		if (argv.isEmpty()) {
			throw new IllegalArgumentException("A command needs a program");
		}
	}

	/**
	 * @param program one of the programs the service needs
	 * @param arguments its arguments
	 * @return a command with no variables of its own, the service's directory and a
	 * one-minute timeout
	 */
	public static Command of(Program program, String... arguments) {
		return of(program.command(), arguments);
	}

	/**
	 * Any program; the service's own code names a {@link Program} instead, so that the
	 * container image installs it.
	 * @param program the program (an absolute path or a name on {@code PATH})
	 * @param arguments its arguments
	 * @return a command with no variables of its own, the service's directory and a
	 * one-minute timeout
	 */
	public static Command of(String program, String... arguments) {
		List<String> argv = new ArrayList<>();
		argv.add(program);
		argv.addAll(List.of(arguments));
		return new Command(argv, Map.of(), Map.of(), null, Duration.ofMinutes(1));
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
	public String toString() {
		return String.join(" ", this.argv);
	}

}
