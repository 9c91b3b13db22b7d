package au.edu.unimelb.reporting.ops.shell;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import au.edu.unimelb.reporting.ops.config.SecretGuard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The one way the service runs local programs (pg_dump, pg_restore, duplicity, gpg): argv
 * only, never a shell; a timeout after which the program and its children are killed;
 * standard output and error drained on their own threads ({@link ProgramOutput}); secrets
 * only through the environment (or files the caller writes), refused in argv, and masked
 * in every message, log line and result. The programs running at any moment can all be
 * stopped at once ({@link #stopAll}, {@link RunningPrograms}).
 *
 * <p>
 * A program starts from an empty environment: it gets {@link #INHERITED} from the
 * service's own (where set) and the variables its {@link Command} names, nothing else.
 * The service's environment holds every secret it was configured with (the cloud
 * password, each database's password, the engine database's); pg_dump needs only its own
 * database's, duplicity only the passphrase and the Swift key.
 *
 * <p>
 * The only class of the service that starts programs, and it starts only a
 * {@link Command}'s, which is a {@link Program} (wrapped in {@link Program#SETPRIV} where
 * that is installed): {@code DockerfileTest} checks both on the compiled classes, so that
 * the container image has every program the service runs.
 */
@Component
public class CommandRunner {

	private static final Logger log = LoggerFactory.getLogger(CommandRunner.class);

	private static final int STDERR_IN_MESSAGE = 2000;

	private final SecretGuard guard;

	private final ProgramOutput output = new ProgramOutput();

	/**
	 * util-linux's {@code setpriv}, which the programs are started through so that the
	 * kernel kills them when this node dies ({@code --pdeathsig KILL}): a node killed
	 * with {@code kill -9} leaves no pg_dump or duplicity behind to race the step's
	 * repetition. What follows its {@code --} is the command's program, a {@link Program}
	 * other than setpriv ({@link Command#of}).
	 */
	static final Path SETPRIV = Path.of(Program.SETPRIV.command());

	private final RunningPrograms running = new RunningPrograms();

	private final boolean dieWithNode;

	/**
	 * The only variables of the service's environment a program inherits: where to find
	 * programs, the home folder, the language and time zone, the folder for temporary
	 * files. A command's own variables ({@code TZ=UTC} for duplicity) take precedence.
	 */
	static final List<String> INHERITED = List.of("PATH", "HOME", "LANG", "TZ", "TMPDIR");

	/** {@code PATH} when the service has none: setpriv looks the program up in it. */
	static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

	private final Map<String, String> inherited;

	@Autowired
	public CommandRunner(SecretGuard guard) {
		this(guard, System.getenv());
	}

	/**
	 * @param serviceEnvironment the service's environment, of which a program gets only
	 * {@link #INHERITED}
	 */
	CommandRunner(SecretGuard guard, Map<String, String> serviceEnvironment) {
		this.guard = guard;
		this.inherited = inherited(serviceEnvironment);
		this.dieWithNode = Files.isExecutable(SETPRIV);
		if (!this.dieWithNode) {
			log.warn("{} is missing: programs started by steps outlive this node if it is killed", SETPRIV);
		}
	}

	/**
	 * Stops every program running now, children first; each one's {@link #run} fails with
	 * the reason.
	 * @return how many were stopped
	 */
	public int stopAll(String reason) {
		return this.running.stopAll(reason);
	}

	/**
	 * Runs a program to its end.
	 * @return its result, exit code 0
	 * @throws CommandFailedException on a non-zero exit or at the timeout
	 * @throws IllegalArgumentException when an argument carries a configured secret
	 */
	public CommandResult run(Command command) {
		for (String argument : command.argv()) {
			if (this.guard.carriesSecret(argument)) {
				throw new IllegalArgumentException("Refusing to run " + command.argv().get(0)
						+ ": an argument carries a configured secret (pass it through the environment or a file)");
			}
		}
		List<String> argv = new ArrayList<>();
		if (this.dieWithNode) {
			argv.addAll(List.of(SETPRIV.toString(), "--pdeathsig", "KILL", "--"));
		}
		argv.addAll(command.argv());
		ProcessBuilder builder = new ProcessBuilder(argv);
		Map<String, String> environment = builder.environment();
		environment.clear();
		environment.putAll(this.inherited);
		environment.putAll(command.environment());
		command.secretEnvironment().forEach((name, secret) -> environment.put(name, secret.reveal()));
		if (command.workingDirectory() != null) {
			builder.directory(command.workingDirectory().toFile());
		}
		long started = System.nanoTime();
		Process process;
		try {
			process = builder.start();
		}
		catch (IOException ex) {
			throw new CommandFailedException("Cannot start " + command.argv().get(0) + ": " + ex.getMessage(), 127, "");
		}
		this.running.add(process, command.argv().get(0));
		closeInput(process);
		Future<byte[]> out = this.output.drain(process.getInputStream());
		Future<byte[]> err = this.output.drain(process.getErrorStream());
		boolean finished;
		try {
			finished = waitFor(process, command.timeout());
			if (!finished) {
				RunningPrograms.kill(process);
			}
		}
		finally {
			this.running.remove(process);
		}
		String stoppedBecause = this.running.stopReason(process);
		String stdout = mask(ProgramOutput.text(out));
		String stderr = mask(ProgramOutput.text(err));
		Duration duration = Duration.ofNanos(System.nanoTime() - started);
		if (!finished) {
			throw new CommandFailedException(describe(command) + " did not finish within " + command.timeout()
					+ " and was killed" + stderrTail(stderr), -1, stderr);
		}
		int exit = process.exitValue();
		if (this.dieWithNode && exit == 127 && stderr.startsWith("setpriv: failed to execute")) {
			throw new CommandFailedException("Cannot start " + command.argv().get(0) + ": " + stderr.strip(), 127, "");
		}
		if (stoppedBecause != null) {
			throw new CommandFailedException(describe(command) + " was stopped: " + stoppedBecause, exit, stderr);
		}
		log.debug("{} exited {} after {} ms", describe(command), exit, duration.toMillis());
		if (exit != 0) {
			throw new CommandFailedException(describe(command) + " exited " + exit + stderrTail(stderr), exit, stderr);
		}
		return new CommandResult(exit, stdout, stderr, duration);
	}

	private static Map<String, String> inherited(Map<String, String> serviceEnvironment) {
		Map<String, String> kept = new LinkedHashMap<>();
		for (String name : INHERITED) {
			String value = serviceEnvironment.get(name);
			if (value != null) {
				kept.put(name, value);
			}
		}
		kept.putIfAbsent("PATH", DEFAULT_PATH);
		return Map.copyOf(kept);
	}

	/** The command line as it may be shown: secrets masked. */
	String describe(Command command) {
		return mask(String.join(" ", command.argv()));
	}

	private String mask(String text) {
		return this.guard.mask(text);
	}

	private static String stderrTail(String stderr) {
		String trimmed = stderr.strip();
		if (trimmed.isEmpty()) {
			return "";
		}
		return ": " + ((trimmed.length() > STDERR_IN_MESSAGE)
				? "…" + trimmed.substring(trimmed.length() - STDERR_IN_MESSAGE) : trimmed);
	}

	private static boolean waitFor(Process process, Duration timeout) {
		try {
			return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			RunningPrograms.kill(process);
			throw new CommandFailedException("Interrupted while waiting for process " + process.pid(), -1, "");
		}
	}

	/** The programs read nothing from us: their standard input is closed at once. */
	private static void closeInput(Process process) {
		try {
			process.getOutputStream().close();
		}
		catch (IOException ignored) {
			// already closed by the program's exit: nothing to write anyway
		}
	}

}
