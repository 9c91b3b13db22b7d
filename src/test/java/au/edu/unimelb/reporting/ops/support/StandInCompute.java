package au.edu.unimelb.reporting.ops.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The one compute (Nova) call the service makes, on loopback: the test bed has no Nova.
 * Each stand-in listens on a port of its own, and the service under test reaches it
 * through {@code cloud.endpoint-overrides.compute} ({@link #baseUrl()}), keeping the path
 * the test bed's catalog names ({@code /v2.1}); so deploy tests can run side by side.
 * {@code POST /v2.1/servers/{id}/action} with {@code os-getConsoleOutput} answers, for
 * any server id, a boot log as cloud-init prints it on a Debian cloud image, with the
 * host key of the stand-in app servers' sshd — or another key, or none yet, as the test
 * sets.
 */
public final class StandInCompute implements AutoCloseable {

	private static final Pattern ACTION = Pattern.compile("/v2\\.1/servers/([^/]+)/action");

	/** What the console shows. */
	public enum Console {

		/** the app servers' real host key */
		HOST_KEYS,
		/** a key that is not theirs (someone else answers at their address) */
		WRONG_HOST_KEY,
		/** none yet (cloud-init still booting) */
		NO_HOST_KEYS

	}

	private final HttpServer server;

	private final String hostKey;

	private final String wrongKey;

	private volatile Console console = Console.HOST_KEYS;

	private final AtomicInteger calls = new AtomicInteger();

	private StandInCompute(HttpServer server, String hostKey, String wrongKey) {
		this.server = server;
		this.hostKey = hostKey;
		this.wrongKey = wrongKey;
	}

	/**
	 * @param hostKey the app servers' public host key file ({@code ssh-ed25519 AAAA...})
	 * @param wrongKey another public key file
	 */
	public static StandInCompute start(Path hostKey, Path wrongKey) throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
		StandInCompute compute = new StandInCompute(server, Files.readString(hostKey).strip(),
				Files.readString(wrongKey).strip());
		server.createContext("/", compute::answer);
		server.setExecutor(Executors.newFixedThreadPool(2));
		server.start();
		return compute;
	}

	/** Where the service reaches it: {@code cloud.endpoint-overrides.compute}. */
	public String baseUrl() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	public void show(Console console) {
		this.console = console;
	}

	/** How many console logs were asked for. */
	public int calls() {
		return this.calls.get();
	}

	private void answer(HttpExchange exchange) throws IOException {
		Matcher action = ACTION.matcher(exchange.getRequestURI().getPath());
		String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
		if (exchange.getRequestHeaders().getFirst("X-Auth-Token") == null) {
			send(exchange, 401, "{\"error\":{\"code\":401,\"message\":\"Authentication required\"}}");
			return;
		}
		if (!"POST".equals(exchange.getRequestMethod()) || !action.matches() || !body.contains("os-getConsoleOutput")) {
			send(exchange, 404, "{\"itemNotFound\":{\"code\":404,\"message\":\"not served by the stand-in\"}}");
			return;
		}
		this.calls.incrementAndGet();
		String output = consoleFor(action.group(1));
		send(exchange, 200, new ObjectMapper().writeValueAsString(java.util.Map.of("output", output)));
	}

	private String consoleFor(String serverId) {
		List<String> boot = List.of("[    0.000000] Linux version 6.1.0-28-cloud-amd64 (server " + serverId + ")",
				"[  OK  ] Started ssh.service - OpenBSD Secure Shell server.",
				"[   14.101203] cloud-init[612]: Cloud-init v. 22.4.2 running 'modules:final'");
		String key = switch (this.console) {
			case HOST_KEYS -> this.hostKey;
			case WRONG_HOST_KEY -> this.wrongKey;
			case NO_HOST_KEYS -> null;
		};
		StringBuilder text = new StringBuilder(String.join("\r\n", boot)).append("\r\n");
		if (key != null) {
			text.append("-----BEGIN SSH HOST KEY KEYS-----\r\n")
				.append(key)
				.append("\r\n-----END SSH HOST KEY KEYS-----\r\n");
		}
		return text.toString();
	}

	private static void send(HttpExchange exchange, int status, String json) throws IOException {
		byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
		((java.util.concurrent.ExecutorService) this.server.getExecutor()).shutdownNow();
	}

}
