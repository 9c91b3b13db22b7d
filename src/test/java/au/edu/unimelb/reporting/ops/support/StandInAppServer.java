package au.edu.unimelb.reporting.ops.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for the reporting application's server on a loopback address (127.0.0.11,
 * 127.0.0.12 …): {@code /health} answers 200 and names the build it serves (the version
 * marker), or 503 while it is set unhealthy; every other path answers with the build too.
 * Like the real app, it can only be healthy once it has its database password: with
 * {@link #requirePassword}, {@code /health} answers 503 until the password file holds one
 * of the accepted passwords.
 */
public final class StandInAppServer implements AutoCloseable {

	static {
		// The JDK's HTTP server writes headers and body separately; without TCP_NODELAY
		// every keep-alive answer
		// waits for the client's delayed ACK (about 40 ms), which would make the stand-in
		// the bottleneck of a
		// load test. Read once, when the server classes load.
		System.setProperty("sun.net.httpserver.nodelay", "true");
	}

	private final HttpServer server;

	private volatile String build;

	private volatile boolean healthy = true;

	private volatile Path passwordFile;

	private volatile Set<String> passwords = Set.of();

	private StandInAppServer(HttpServer server, String build) {
		this.server = server;
		this.build = build;
	}

	/**
	 * @param address a loopback address ({@code 127.0.0.11})
	 * @param port the port the app servers listen on
	 * @param build the build it serves first ({@code null}: none yet, 503)
	 */
	public static StandInAppServer start(String address, int port, String build) throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), port), 64);
		StandInAppServer standIn = new StandInAppServer(server, build);
		server.createContext("/", standIn::answer);
		server.setExecutor(Executors.newFixedThreadPool(8));
		server.start();
		return standIn;
	}

	/**
	 * @param build the build it serves now; {@code null}: no server here (503)
	 */
	public void serve(String build) {
		this.build = build;
	}

	/** The build it serves, {@code null} when none. */
	public String build() {
		return this.build;
	}

	public void setHealthy(boolean healthy) {
		this.healthy = healthy;
	}

	public boolean isHealthy() {
		return this.healthy;
	}

	/**
	 * Healthy only while {@code file} holds one of the passwords (a line).
	 */
	public void requirePassword(Path file, Set<String> passwords) {
		this.passwordFile = file;
		this.passwords = Set.copyOf(passwords);
	}

	/**
	 * The password file this server reads (its own copy: see
	 * LoopbackSshd#startAppServer).
	 */
	public Path passwordFile() {
		return this.passwordFile;
	}

	/** A freshly created server: nothing delivered yet. */
	public void forgetPassword() throws IOException {
		if (this.passwordFile != null) {
			Files.deleteIfExists(this.passwordFile);
		}
	}

	private boolean hasPassword() {
		Path file = this.passwordFile;
		if (file == null) {
			return true;
		}
		try {
			return this.passwords.contains(Files.readString(file).strip());
		}
		catch (IOException ex) {
			return false;
		}
	}

	public String address() {
		return this.server.getAddress().getAddress().getHostAddress() + ":" + this.server.getAddress().getPort();
	}

	private void answer(HttpExchange exchange) throws IOException {
		boolean health = exchange.getRequestURI().getPath().equals("/health");
		String build = this.build;
		int status = (build == null || health && !(this.healthy && hasPassword())) ? 503 : 200;
		String state = (build == null) ? "no server" : (status == 200) ? "ok" : "unhealthy";
		byte[] body = ("{\"status\":\"" + state + "\",\"build\":\"" + build + "\",\"server\":\"" + address() + "\"}\n")
			.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
		((java.util.concurrent.ExecutorService) this.server.getExecutor()).shutdownNow();
	}

}
