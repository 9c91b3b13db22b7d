package au.edu.unimelb.reporting.ops.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on loopback in front of a real server (the test bed's Heat), that a
 * test can cut and mend: cut, new connections are reset and open ones are closed, as when
 * the server is down; mended, it forwards again. The service under test is pointed at it
 * ({@code cloud.endpoint-overrides.orchestration}), so a test can take Heat away from one
 * service without stopping the Heat that other tests use at the same time.
 */
public final class CuttableLink implements AutoCloseable {

	private final InetSocketAddress target;

	private final int port;

	private final Set<Socket> open = ConcurrentHashMap.newKeySet();

	private final ServerSocket listener;

	private volatile boolean cut;

	private CuttableLink(InetSocketAddress target, ServerSocket listener) {
		this.target = target;
		this.listener = listener;
		this.port = listener.getLocalPort();
	}

	/** Forwards a free loopback port to the target. */
	public static CuttableLink to(String host, int port) throws IOException {
		ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		CuttableLink link = new CuttableLink(new InetSocketAddress(host, port), listener);
		Thread accept = new Thread(() -> link.accept(listener), "link-" + link.port);
		accept.setDaemon(true);
		accept.start();
		return link;
	}

	/** {@code http://127.0.0.1:PORT}: where to reach the target through the link. */
	public String baseUrl() {
		return "http://127.0.0.1:" + this.port;
	}

	/**
	 * From now on, connections are reset as soon as they are made, and open ones are
	 * closed. The port stays bound, so that nothing else on the machine can take it
	 * before {@link #mend()}.
	 */
	public void cut() {
		this.cut = true;
		for (Socket socket : this.open) {
			closeQuietly(socket);
		}
		this.open.clear();
	}

	/** Forwards again. */
	public void mend() {
		this.cut = false;
	}

	private void accept(ServerSocket server) {
		while (!server.isClosed()) {
			Socket client;
			try {
				client = server.accept();
			}
			catch (IOException closed) {
				return;
			}
			if (this.cut) {
				reset(client);
				continue;
			}
			try {
				Socket upstream = new Socket();
				upstream.connect(this.target, 5_000);
				this.open.add(client);
				this.open.add(upstream);
				pipe(client, upstream);
				pipe(upstream, client);
			}
			catch (IOException ex) {
				closeQuietly(client);
			}
		}
	}

	private void pipe(Socket from, Socket to) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[16 * 1024];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int n;
				while ((n = in.read(buffer)) >= 0) {
					out.write(buffer, 0, n);
					out.flush();
				}
			}
			catch (IOException ended) {
				// one side closed: close both
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
				this.open.remove(from);
				this.open.remove(to);
			}
		}, "link-" + this.port + "-pipe");
		thread.setDaemon(true);
		thread.start();
	}

	/** Closes with a reset (RST), as a port with nothing behind it answers. */
	private static void reset(Socket socket) {
		try {
			socket.setSoLinger(true, 0);
		}
		catch (IOException ex) {
			// closing anyway
		}
		closeQuietly(socket);
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

	@Override
	public void close() throws IOException {
		cut();
		this.listener.close();
	}

}
