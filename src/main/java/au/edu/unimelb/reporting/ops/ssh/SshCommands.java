package au.edu.unimelb.reporting.ops.ssh;

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
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The one facade over SSH (jsch): runs one command on a host with key authentication, the
 * host key checked strictly against a known_hosts file, and a deadline for the whole
 * command.
 *
 * <p>
 * A command is an argv list. SSH hands the remote side a single command line, so every
 * argument must be a plain word ({@code [A-Za-z0-9._:/=@+-]}); anything else is refused
 * before connecting, which rules out shell injection without any quoting.
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
		Session session = null;
		ChannelExec channel = null;
		try {
			JSch jsch = new JSch();
			jsch.addIdentity(target.privateKey().toString());
			jsch.setKnownHosts(target.knownHosts().toString());
			session = jsch.getSession(target.user(), target.host(), target.port());
			session.setConfig("StrictHostKeyChecking", "yes");
			session.setConfig("PreferredAuthentications", "publickey");
			session.setTimeout(millis(target.timeout()));
			session.connect(millis(target.timeout()));
			channel = (ChannelExec) session.openChannel("exec");
			channel.setCommand(command);
			channel.setInputStream(null);
			InputStream stdout = channel.getInputStream();
			InputStream stderr = channel.getErrStream();
			channel.connect(millis(target.timeout()));
			Future<String> out = this.readers.submit(() -> new String(stdout.readAllBytes(), "UTF-8"));
			Future<String> err = this.readers.submit(() -> new String(stderr.readAllBytes(), "UTF-8"));
			String output = out.get(target.timeout().toMillis(), TimeUnit.MILLISECONDS);
			String errors = err.get(target.timeout().toMillis(), TimeUnit.MILLISECONDS);
			int status = awaitExitStatus(channel);
			log.debug("ssh {} '{}' exited {}", target, command, status);
			return new SshResult(status, output, errors);
		}
		catch (JSchException ex) {
			throw new SshException(describe(target, ex), ex);
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
			if (session != null) {
				session.disconnect();
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

	private static String describe(SshTarget target, JSchException ex) {
		String message = String.valueOf(ex.getMessage());
		if (message.contains("HostKey has been changed") || message.contains("reject HostKey")
				|| message.contains("UnknownHostKey")) {
			return "ssh " + target + ": the host key does not match " + target.knownHosts()
					+ " (refused; check the host and its key before updating known_hosts): " + message;
		}
		if (message.contains("Auth fail") || message.contains("USERAUTH fail")) {
			return "ssh " + target + ": the key " + target.privateKey() + " was not accepted";
		}
		return "ssh " + target + ": " + message;
	}

	private static int millis(Duration duration) {
		return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
	}

}
