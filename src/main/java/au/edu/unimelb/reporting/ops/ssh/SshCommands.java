package au.edu.unimelb.reporting.ops.ssh;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchAlgoNegoFailException;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.JSchHostKeyException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SocketFactory;
import com.jcraft.jsch.UserInfo;
import au.edu.unimelb.reporting.ops.config.SecretGuard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The one facade over SSH (jsch): runs one command on a host with key authentication, the
 * host key checked strictly (against a known_hosts file, or against the keys the cloud
 * reported for a new server: never trusted on first use, nothing written to a known_hosts
 * file), and one deadline for the whole call: connecting, the command(s) and their output
 * together. jsch's own timeouts are per read (a peer that sends a line a second keeps it
 * waiting forever), so a watchdog closes the connection at the deadline.
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

	/**
	 * One thread for every call's deadline: at the deadline it closes the call's socket,
	 * which ends whatever jsch is waiting for (a banner that never comes, a window that
	 * never opens, output that never ends).
	 */
	private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "ssh-deadline");
		thread.setDaemon(true);
		return thread;
	});

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
		try (Call call = new Call(target)) {
			Session session = connect(call);
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
		try (Call call = new Call(target)) {
			Session session = connect(call);
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

	private Session connect(Call call) {
		SshTarget target = call.target;
		try {
			JSch jsch = new JSch();
			jsch.addIdentity(target.privateKey().toString());
			if (target.hostKeys() != null) {
				jsch.setHostKeyRepository(new ExpectedHostKeys(target.hostKeys()));
			}
			else {
				jsch.setKnownHosts(target.knownHosts().toString());
			}
			Session session = jsch.getSession(target.user(), target.host(), target.port());
			session.setConfig("StrictHostKeyChecking", "yes");
			session.setConfig("PreferredAuthentications", "publickey");
			if (target.hostKeys() != null) {
				// Negotiate only key types the cloud reported, so the server presents one
				// of those.
				session.setConfig("server_host_key", String.join(",", target.hostKeys().algorithms()));
			}
			session.setSocketFactory(call);
			session.setTimeout(call.remainingMillis());
			session.connect(call.remainingMillis());
			if (call.passed()) {
				session.disconnect();
				throw call.deadlinePassed("connecting", null);
			}
			return session;
		}
		catch (JSchException ex) {
			call.checkDeadline("connecting", ex);
			throw exception(target, ex);
		}
	}

	private SshResult exec(Call call, Session session, String command, byte[] input) {
		SshTarget target = call.target;
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
			throw exception(target, ex);
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

	/**
	 * One call's deadline, and the socket it closes when the deadline passes. It is the
	 * call's socket factory, so it holds the socket from before it connects.
	 */
	private static final class Call implements SocketFactory, AutoCloseable {

		private final SshTarget target;

		private final long deadline;

		private final ScheduledFuture<?> alarm;

		private volatile boolean expired;

		private volatile Socket socket;

		Call(SshTarget target) {
			this.target = target;
			this.deadline = System.nanoTime() + target.timeout().toNanos();
			this.alarm = WATCHDOG.schedule(this::expire, target.timeout().toNanos(), TimeUnit.NANOSECONDS);
		}

		int remainingMillis() {
			long nanos = this.deadline - System.nanoTime();
			return (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(nanos)));
		}

		boolean passed() {
			return this.expired || System.nanoTime() - this.deadline >= 0;
		}

		void checkDeadline(String doing, Exception cause) {
			if (passed()) {
				throw deadlinePassed(doing, cause);
			}
		}

		SshException deadlinePassed(String doing, Exception cause) {
			return new SshException(
					"ssh " + this.target + ": did not finish within its deadline of "
							+ this.target.timeout().toSeconds()
							+ " s (connecting, the command and its output together; " + "cut off while " + doing + ")",
					cause);
		}

		private void expire() {
			this.expired = true;
			closeSocket();
		}

		private void closeSocket() {
			Socket current = this.socket;
			if (current != null) {
				try {
					current.close();
				}
				catch (IOException ex) {
					// closing is all we can do
				}
			}
		}

		@Override
		public Socket createSocket(String host, int port) throws IOException {
			Socket created = new Socket();
			this.socket = created;
			if (this.expired) {
				created.close();
			}
			created.connect(new InetSocketAddress(host, port), remainingMillis());
			created.setTcpNoDelay(true);
			return created;
		}

		@Override
		public InputStream getInputStream(Socket socket) throws IOException {
			return socket.getInputStream();
		}

		@Override
		public OutputStream getOutputStream(Socket socket) throws IOException {
			return socket.getOutputStream();
		}

		@Override
		public void close() {
			this.alarm.cancel(false);
		}

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

	private static int awaitExitStatus(Call call, ChannelExec channel) {
		// Both streams reached end of file, so the remote command is done; jsch records
		// the status as the channel closes, a few milliseconds later at most. This is a
		// wait on the library, not on the world, and it ends at the call's deadline.
		while (!channel.isClosed() && !call.passed()) {
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
		}
		return channel.getExitStatus();
	}

	private static SshException exception(SshTarget target, JSchException ex) {
		String message = String.valueOf(ex.getMessage());
		if (ex instanceof JSchHostKeyException || message.contains("HostKey has been changed")
				|| message.contains("reject HostKey") || message.contains("UnknownHostKey")) {
			String expected = (target.hostKeys() != null)
					? "the host keys the cloud reported for it (its console at first boot)"
					: target.knownHosts().toString();
			String update = (target.hostKeys() != null) ? ""
					: "; check the host and its key before updating known_hosts";
			return new HostKeyMismatchException("ssh " + target + ": the host key does not match " + expected
					+ " (refused" + update + "): " + message, ex);
		}
		if (target.hostKeys() != null && ex instanceof JSchAlgoNegoFailException failed
				&& String.valueOf(failed.getAlgorithmName()).contains("host_key")) {
			return new HostKeyMismatchException("ssh " + target + ": the server offers no host key of the types the "
					+ "cloud reported for it " + target.hostKeys().algorithms() + " (refused): " + message, ex);
		}
		if (message.contains("Auth fail") || message.contains("USERAUTH fail")) {
			return new SshException("ssh " + target + ": the key " + target.privateKey() + " was not accepted", ex);
		}
		return new SshException("ssh " + target + ": " + message, ex);
	}

	/**
	 * A host key repository in memory that knows exactly the expected keys: any other key
	 * is refused, and nothing is ever added or written to a file.
	 */
	private record ExpectedHostKeys(HostKeys keys) implements HostKeyRepository {

		@Override
		public int check(String host, byte[] key) {
			return this.keys.accepts(key) ? OK : CHANGED;
		}

		@Override
		public void add(HostKey hostkey, UserInfo ui) {
			// never: the expected keys come from the cloud, not from the connection
		}

		@Override
		public void remove(String host, String type) {
		}

		@Override
		public void remove(String host, String type, byte[] key) {
		}

		@Override
		public String getKnownHostsRepositoryID() {
			return "the cloud's console log";
		}

		@Override
		public HostKey[] getHostKey() {
			return new HostKey[0];
		}

		@Override
		public HostKey[] getHostKey(String host, String type) {
			return new HostKey[0];
		}

	}

}
