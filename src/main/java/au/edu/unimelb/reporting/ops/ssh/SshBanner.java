package au.edu.unimelb.reporting.ops.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Whether an SSH server answers: a TCP connection and the server's identification line
 * ({@code SSH-2.0-OpenSSH_9.2p1 ...}, RFC 4253 section 4.2), within a timeout. It logs in
 * to nothing and runs no command: it sends its own identification line and closes, so
 * that sshd logs a closed connection before authentication, nothing more.
 */
public final class SshBanner {

	static final String CLIENT_IDENTIFICATION = "SSH-2.0-reporting-ops-health\r\n";

	/** RFC 4253: the server may send other lines before its identification. */
	private static final int MAX_BYTES = 8192;

	private SshBanner() {
	}

	/**
	 * @param host the host name or address
	 * @param port the SSH port
	 * @param timeout the limit for connecting and, again, for the identification line
	 * @return the server's identification line
	 * @throws SshException when it refused, did not answer in time, or is not SSH
	 */
	public static String read(String host, int port, Duration timeout) {
		int millis = (int) Math.max(1, timeout.toMillis());
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), millis);
			socket.setSoTimeout(millis);
			long deadline = System.nanoTime() + timeout.toNanos();
			InputStream in = socket.getInputStream();
			ByteArrayOutputStream line = new ByteArrayOutputStream();
			int read = 0;
			while (read++ < MAX_BYTES) {
				if (System.nanoTime() > deadline) {
					throw new SocketTimeoutException("no identification line");
				}
				int b = in.read();
				if (b < 0) {
					throw new SshException("ssh " + host + ":" + port + " closed the connection before identifying");
				}
				if (b == '\n') {
					String text = line.toString(StandardCharsets.US_ASCII).strip();
					if (text.startsWith("SSH-")) {
						socket.getOutputStream().write(CLIENT_IDENTIFICATION.getBytes(StandardCharsets.US_ASCII));
						return text;
					}
					line.reset();
				}
				else {
					line.write(b);
				}
			}
			throw new SshException("ssh " + host + ":" + port + " sent no SSH identification line");
		}
		catch (SocketTimeoutException ex) {
			throw new SshException("ssh " + host + ":" + port + " did not answer within " + millis + " ms", ex);
		}
		catch (IOException ex) {
			throw new SshException("ssh " + host + ":" + port + ": " + ex.getClass().getSimpleName()
					+ ((ex.getMessage() != null) ? " " + ex.getMessage() : ""), ex);
		}
	}

}
