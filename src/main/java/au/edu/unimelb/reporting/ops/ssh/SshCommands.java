package au.edu.unimelb.reporting.ops.ssh;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;

import au.edu.unimelb.reporting.ops.config.SecretGuard;
import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The one facade over SSH (jsch): runs one command on a host with key authentication, the
 * host key checked strictly (against a known_hosts file, or against the keys the cloud
 * reported for a new server: never trusted on first use, nothing written to a known_hosts
 * file; {@link SshSessions}), and one deadline for the whole call: connecting, the
 * command(s) and their output together. jsch's own timeouts are per read (a peer that
 * sends a line a second keeps it waiting forever), so a watchdog closes the connection at
 * the deadline ({@link SshCall}).
 *
 * <p>
 * A command is an argv list. SSH hands the remote side a single command line, so every
 * argument must be a plain word ({@code [A-Za-z0-9._:/=@+-]}); anything else is refused
 * before connecting, which rules out shell injection without any quoting. Files are
 * written by a fixed command that names only their path; their content (a password) goes
 * through the command's standard input, never on a command line.
 */
@Component
public class SshCommands {

	private static final Logger log = LoggerFactory.getLogger(SshCommands.class);

	private static final Pattern PLAIN_WORD = Pattern.compile("[A-Za-z0-9._:/=@+,-]+");

	/**
	 * How long a call may take past its deadline: the watchdog closes the connection at
	 * the deadline, and unwinding (jsch's threads seeing the closed socket) takes
	 * milliseconds. A bound for the job lock ({@link #bound}).
	 */
	public static final Duration GRACE = Duration.ofSeconds(2);

	/** The most of a remote's error output that goes into a message. */
	private static final int STDERR_IN_MESSAGE = 500;

	private final ExecutorService readers = Executors.newCachedThreadPool((runnable) -> {
		Thread thread = new Thread(runnable, "ssh-reader");
		thread.setDaemon(true);
		return thread;
	});

	private final SecretGuard guard;

	/**
	 * @param guard masks configured secrets in what a remote prints before it reaches a
	 * message or a result
	 */
	public SshCommands(SecretGuard guard) {
		this.guard = guard;
	}

	/**
	 * The longest one call ({@link #run} or {@link #write}) can take with a timeout: the
	 * timeout, for connecting, the command(s) and the output together, plus
	 * {@link #GRACE}.
	 */
	public static Duration bound(Duration timeout) {
		return timeout.plus(GRACE);
	}

	/**
	 * A step that makes one SSH call with this timeout, as the job lock counts it: the QA
	 * migrations and the web front switch each run one command, and delivering the
	 * secrets writes both files in one call (one connection, one deadline).
	 * @param setting the setting of the timeout
	 * @return the setting, named with the grace, and the call's {@link #bound}
	 */
	public static Map.Entry<String, Duration> oneCall(String setting, int timeoutSeconds) {
		return Map.entry(setting + " + " + GRACE.toSeconds() + " s (one SSH call)",
				bound(Duration.ofSeconds(timeoutSeconds)));
	}

	/**
	 * Runs a command and waits for its exit status.
	 * @param target where, and the deadline for the whole call (connect, command, output)
	 * @param argv the command and its arguments, plain words only
	 * @return the exit status and output (configured secrets masked); a non-zero status
	 * is returned, not thrown
	 * @throws SshException when it could not run or did not finish in time
	 */
	public SshResult run(SshTarget target, List<String> argv) {
		String command = commandLine(argv);
		try (SshCall call = new SshCall(target)) {
			Session session = SshSessions.connect(call);
			try {
				SshResult result = exec(call, session, command, null);
				log.debug("ssh {} '{}' exited {}", target, command, result.exitStatus());
				return new SshResult(result.exitStatus(), this.guard.mask(result.stdout()),
						this.guard.mask(result.stderr()));
			}
			finally {
				session.disconnect();
			}
		}
	}

	/**
	 * Writes files on a host, one after the other on one connection, each through
	 * {@code umask 077 && rm -f PATH.tmp && (set -C; cat > PATH.tmp) && [ "$(wc -c <
	 * PATH.tmp)" -eq LENGTH ] && chmod 600 PATH.tmp && mv -f PATH.tmp PATH} with its
	 * content on standard input: owned by the remote user, mode 0600, replaced in one
	 * step and only when all of it arrived, the same file however often it is repeated.
	 * One deadline covers the connection and every file.
	 * @param target where, as which user
	 * @param files what to write
	 * @throws SshException when it could not connect, the host key did not match
	 * ({@link HostKeyMismatchException}), or a write failed or did not finish in time;
	 * its message holds the remote's error output with configured secrets masked
	 */
	public void write(SshTarget target, List<RemoteFile> files) {
		try (SshCall call = new SshCall(target)) {
			Session session = SshSessions.connect(call);
			try {
				for (RemoteFile file : files) {
					SshResult result = exec(call, session, file.command(), file.content());
					if (result.exitStatus() != 0) {
						// The remote may echo its input (the password) to its error
						// output: masked (before it is cut, so no part of a secret is
						// left), as the message reaches the incident and the engine's
						// tables.
						throw new SshException("ssh " + target + ": writing " + file.path() + " failed (exit "
								+ result.exitStatus() + "): " + tail(this.guard.mask(result.stderr().strip())));
					}
					log.debug("ssh {}: wrote {}", target, file);
				}
			}
			finally {
				session.disconnect();
			}
		}
	}

	private SshResult exec(SshCall call, Session session, String command, byte[] input) {
		SshTarget target = call.target();
		ChannelExec channel = null;
		try {
			channel = (ChannelExec) session.openChannel("exec");
			channel.setCommand(command);
			channel.setInputStream((input != null) ? new ByteArrayInputStream(input) : null);
			InputStream stdout = channel.getInputStream();
			InputStream stderr = channel.getErrStream();
			channel.connect(call.remainingMillis());
			Future<String> out = this.readers.submit(() -> new String(stdout.readAllBytes(), "UTF-8"));
			Future<String> err = this.readers.submit(() -> new String(stderr.readAllBytes(), "UTF-8"));
			String output = out.get(call.remainingMillis(), TimeUnit.MILLISECONDS);
			String errors = err.get(call.remainingMillis(), TimeUnit.MILLISECONDS);
			int status = awaitExitStatus(call, channel);
			call.checkDeadline("running '" + command + "'", null);
			return new SshResult(status, output, errors);
		}
		catch (JSchException ex) {
			call.checkDeadline("running '" + command + "'", ex);
			throw SshSessions.failure(target, ex);
		}
		catch (TimeoutException ex) {
			throw call.deadlinePassed("running '" + command + "'", ex);
		}
		catch (ExecutionException | IOException ex) {
			call.checkDeadline("running '" + command + "'", ex);
			throw new SshException("ssh " + target + ": reading the output of '" + command + "' failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new SshException("ssh " + target + ": interrupted", ex);
		}
		finally {
			if (channel != null) {
				channel.disconnect();
			}
		}
	}

	private static String tail(String text) {
		return (text.length() > STDERR_IN_MESSAGE) ? "…" + text.substring(text.length() - STDERR_IN_MESSAGE) : text;
	}

	static String commandLine(List<String> argv) {
		if (argv.isEmpty()) {
			throw new IllegalArgumentException("No command given");
		}
		for (String argument : argv) {
			if (argument == null || !PLAIN_WORD.matcher(argument).matches()) {
				throw new IllegalArgumentException(
						"Refusing to send argument '" + argument + "' over SSH: only plain words are allowed");
			}
		}
		return String.join(" ", argv);
	}

	private static int awaitExitStatus(SshCall call, ChannelExec channel) {
		// Both streams reached end of file, so the remote command is done; jsch records
		// the status as the channel closes, a few milliseconds later at most. This is a
		// wait on the library, not on the world, and it ends at the call's deadline.
		while (!channel.isClosed() && !call.passed()) {
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
		}
		return channel.getExitStatus();
	}

}
