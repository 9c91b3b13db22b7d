package au.edu.unimelb.reporting.ops.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import com.jcraft.jsch.SocketFactory;

/**
 * One call's deadline, and the socket it closes when the deadline passes. It is the
 * call's socket factory, so it holds the socket from before it connects. jsch's own
 * timeouts are per read (a peer that sends a line a second keeps it waiting forever);
 * this watchdog is what ends a call at its deadline.
 */
final class SshCall implements SocketFactory, AutoCloseable {

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

	private final SshTarget target;

	private final long deadline;

	private final ScheduledFuture<?> alarm;

	private volatile boolean expired;

	private volatile Socket socket;

	SshCall(SshTarget target) {
		this.target = target;
		this.deadline = System.nanoTime() + target.timeout().toNanos();
		this.alarm = WATCHDOG.schedule(this::expire, target.timeout().toNanos(), TimeUnit.NANOSECONDS);
	}

	SshTarget target() {
		return this.target;
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
				"ssh " + this.target + ": did not finish within its deadline of " + this.target.timeout().toSeconds()
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
