package au.edu.unimelb.reporting.ops.ssh;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
import com.jcraft.jsch.UserInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The one facade over SSH (jsch): runs one command on a host with key authentication, the
 * host key checked strictly (against a known_hosts file, or against the keys the cloud
 * reported for a new server: never trusted on first use, nothing written to a known_hosts
 * file), and a deadline for the whole command.
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

	private final ExecutorService readers = Executors.newCachedThreadPool((runnable) -> {
		Thread thread = new Thread(runnable, "ssh-reader");
		thread.setDaemon(true);
		return thread;
	});

	/**
	 * Runs a command and waits for its exit status.
	 * @param target where
	 * @param argv the command and its arguments, plain words only
	 * @return the exit status and output; a non-zero status is returned, not thrown
	 * @throws SshException when it could not run or did not finish in time
	 */
	public SshResult run(SshTarget target, List<String> argv) {
		String command = commandLine(argv);
		Session session = connect(target);
		try {
			SshResult result = exec(session, target, command, null);
			log.debug("ssh {} '{}' exited {}", target, command, result.exitStatus());
			return result;
		}
		finally {
			session.disconnect();
		}
	}

	/**
	 * Writes files on a host, one after the other on one connection, each through
	 * {@code umask 077 && rm -f PATH.tmp && (set -C; cat > PATH.tmp) && [ "$(wc -c <
	 * PATH.tmp)" -eq LENGTH ] && chmod 600 PATH.tmp && mv -f PATH.tmp PATH} with its
	 * content on standard input: owned by the remote user, mode 0600, replaced in one
	 * step and only when all of it arrived, the same file however often it is repeated.
	 * @param target where, as which user
	 * @param files what to write
	 * @throws SshException when it could not connect, the host key did not match
	 * ({@link HostKeyMismatchException}), or a write failed or did not finish in time
	 */
	public void write(SshTarget target, List<RemoteFile> files) {
		Session session = connect(target);
		try {
			for (RemoteFile file : files) {
				SshResult result = exec(session, target, file.command(), file.content());
				if (result.exitStatus() != 0) {
					throw new SshException("ssh " + target + ": writing " + file.path() + " failed (exit "
							+ result.exitStatus() + "): " + result.stderr().strip());
				}
				log.debug("ssh {}: wrote {}", target, file);
			}
		}
		finally {
			session.disconnect();
		}
	}

	private Session connect(SshTarget target) {
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
			session.setTimeout(millis(target.timeout()));
			session.connect(millis(target.timeout()));
			return session;
		}
		catch (JSchException ex) {
			throw exception(target, ex);
		}
	}

	private SshResult exec(Session session, SshTarget target, String command, byte[] input) {
		ChannelExec channel = null;
		try {
			channel = (ChannelExec) session.openChannel("exec");
			channel.setCommand(command);
			channel.setInputStream((input != null) ? new ByteArrayInputStream(input) : null);
			InputStream stdout = channel.getInputStream();
			InputStream stderr = channel.getErrStream();
			channel.connect(millis(target.timeout()));
			Future<String> out = this.readers.submit(() -> new String(stdout.readAllBytes(), "UTF-8"));
			Future<String> err = this.readers.submit(() -> new String(stderr.readAllBytes(), "UTF-8"));
			String output = out.get(target.timeout().toMillis(), TimeUnit.MILLISECONDS);
			String errors = err.get(target.timeout().toMillis(), TimeUnit.MILLISECONDS);
			return new SshResult(awaitExitStatus(channel), output, errors);
		}
		catch (JSchException ex) {
			throw exception(target, ex);
		}
		catch (TimeoutException ex) {
			throw new SshException("ssh " + target + ": '" + command + "' did not finish within " + target.timeout(),
					ex);
		}
		catch (ExecutionException | IOException ex) {
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

	private static int awaitExitStatus(ChannelExec channel) {
		// Both streams reached end of file, so the remote command is done; jsch records
		// the status as the
		// channel closes, a few milliseconds later at most. This is a wait on the
		// library, not on the world.
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (!channel.isClosed() && System.nanoTime() < deadline) {
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

	private static int millis(Duration duration) {
		return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
	}

}
