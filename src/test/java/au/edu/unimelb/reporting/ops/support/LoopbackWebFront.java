package au.edu.unimelb.reporting.ops.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

/**
 * A real nginx web front on 127.0.0.1 for the {@code qa} environment, switched by the
 * project's own {@code web_front/reporting-switch} through its own nftables table, as on
 * a real web front: nginx proxies to a stable address ({@code 127.0.0.20}) that the
 * switch maps to the current app server. Run as root.
 *
 * <p>
 * Faults can be injected: {@link #breakNginxConfig()} makes {@code nginx -t} fail, and
 * {@link #failNftOnce()} makes the next nft transaction fail (the switch's "reload").
 */
public final class LoopbackWebFront implements AutoCloseable {

	private static final Path SWITCH = Path.of("web_front/reporting-switch").toAbsolutePath();

	private final Path dir;

	private final int port;

	private final int prodPort;

	private final String table;

	private LoopbackWebFront(Path dir, int port, int prodPort, String table) {
		this.dir = dir;
		this.port = port;
		this.prodPort = prodPort;
		this.table = table;
	}

	public static LoopbackWebFront start(Path dir) throws Exception {
		return start(dir, 0, 0, null);
	}

	/**
	 * @param qaPort QA's public port (0: a free one)
	 * @param prodPublicPort Prod's public port (0: a free one)
	 * @param table the switch's nftables table ({@code null}: a fresh name)
	 */
	public static LoopbackWebFront start(Path dir, int qaPort, int prodPublicPort, String table) throws Exception {
		Path conf = dir.resolve("front/conf");
		Files.createDirectories(conf);
		Files.createDirectories(dir.resolve("front/logs"));
		int port = (qaPort != 0) ? qaPort : LoopbackSshd.freePort();
		int stablePort = LoopbackSshd.freePort();
		int prodPort = (prodPublicPort != 0) ? prodPublicPort : LoopbackSshd.freePort();
		int prodStablePort = LoopbackSshd.freePort();
		String nftTable = (table != null) ? table : "rsw_it_" + UUID.randomUUID().toString().substring(0, 8);
		Files.writeString(conf.resolve("extra.conf"), "");
		Files.writeString(conf.resolve("qa-upstream.conf"), "# placeholder\n");
		Files.writeString(conf.resolve("prod-upstream.conf"), "# placeholder\n");
		Files.writeString(conf.resolve("nginx.conf"), """
				worker_processes 1;
				pid logs/nginx.pid;
				error_log logs/error.log warn;
				events { worker_connections 256; }
				http {
				    access_log off;
				    include %1$s/extra.conf;
				    upstream reporting_qa {
				        include %1$s/qa-upstream.conf;
				        server 127.0.0.20:%2$d max_fails=0;
				        keepalive 8;
				        keepalive_time 500ms;
				        keepalive_timeout 500ms;
				    }
				    server {
				        listen 127.0.0.1:%3$d;
				        location / {
				            proxy_pass http://reporting_qa;
				            proxy_http_version 1.1;
				            proxy_set_header Connection "";
				        }
				    }
				    upstream reporting_prod {
				        include %1$s/prod-upstream.conf;
				        server 127.0.0.21:%4$d max_fails=0;
				        keepalive 8;
				        keepalive_time 500ms;
				        keepalive_timeout 500ms;
				    }
				    server {
				        listen 127.0.0.1:%5$d;
				        location / {
				            proxy_pass http://reporting_prod;
				            proxy_http_version 1.1;
				            proxy_set_header Connection "";
				        }
				    }
				}
				""".formatted(conf, stablePort, port, prodStablePort, prodPort));
		Path nft = dir.resolve("nft");
		Files.writeString(nft, """
				#!/usr/bin/env bash
				# nft, except that the next transaction fails while %1$s/nft-fail-once exists.
				set -euo pipefail
				if [[ ${1:-} == -f && -e %1$s/nft-fail-once ]]; then
				    rm -f %1$s/nft-fail-once
				    tx=$(cat)
				    printf '%%s\\nthis is not nft syntax\\n' "$tx" | /usr/sbin/nft "$@"
				    exit
				fi
				exec /usr/sbin/nft "$@"
				""".formatted(dir));
		Files.setPosixFilePermissions(nft, PosixFilePermissions.fromString("rwxr-xr-x"));
		Path switchConf = dir.resolve("reporting-switch.conf");
		Files.write(switchConf,
				List.of("NFT=" + nft, "NFT_TABLE=" + nftTable, "NGINX=/usr/sbin/nginx",
						"NGINX_PREFIX=" + dir.resolve("front") + "/", "NGINX_CONF=" + conf.resolve("nginx.conf"),
						"LOCK_FILE=" + dir.resolve("switch.lock"), "STABLE_qa=127.0.0.20:" + stablePort,
						"RECORD_qa=" + conf.resolve("qa-upstream.conf"), "STABLE_prod=127.0.0.21:" + prodStablePort,
						"RECORD_prod=" + conf.resolve("prod-upstream.conf"), "CONNECT_TIMEOUT=2"));
		Files.setPosixFilePermissions(switchConf, PosixFilePermissions.fromString("rw-r--r--"));
		run(List.of("/usr/sbin/nginx", "-p", dir.resolve("front") + "/", "-c", conf.resolve("nginx.conf").toString()),
				switchConf);
		LoopbackWebFront front = new LoopbackWebFront(dir, port, prodPort, nftTable);
		front.awaitListening(port);
		front.awaitListening(prodPort);
		return front;
	}

	/** The nftables table its switch uses (ip family). */
	public String table() {
		return this.table;
	}

	/** The settings file the switch script reads ({@code REPORTING_SWITCH_CONF}). */
	public Path switchConfig() {
		return this.dir.resolve("reporting-switch.conf");
	}

	/** The switch script, as the service runs it over SSH. */
	public static Path switchScript() {
		return SWITCH;
	}

	public String publicUrl() {
		return "http://127.0.0.1:" + this.port;
	}

	/** The public URL of an environment: {@code qa} or {@code prod}. */
	public String publicUrl(String environment) {
		return "http://127.0.0.1:" + (environment.equals("prod") ? this.prodPort : this.port);
	}

	/**
	 * What a person gets from the web front now: the body of {@code GET /health} through
	 * it.
	 */
	public String served() throws IOException, InterruptedException {
		return served("qa");
	}

	/** What a person gets from an environment's web front now. */
	public String served(String environment) throws IOException, InterruptedException {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(publicUrl(environment) + "/health"))
				.timeout(Duration.ofSeconds(5))
				.build(), HttpResponse.BodyHandlers.ofString())
			.body();
	}

	public void breakNginxConfig() throws IOException {
		Files.writeString(this.dir.resolve("front/conf/extra.conf"), "this is not nginx syntax;\n");
	}

	public void repairNginxConfig() throws IOException {
		Files.writeString(this.dir.resolve("front/conf/extra.conf"), "");
	}

	public void failNftOnce() throws IOException {
		Files.writeString(this.dir.resolve("nft-fail-once"), "");
	}

	/** Reads the current target as the service does, without SSH. */
	public String target() throws Exception {
		return run(List.of(SWITCH.toString(), "qa", "show"), switchConfig()).strip();
	}

	@Override
	public void close() throws Exception {
		Path pid = this.dir.resolve("front/logs/nginx.pid");
		if (Files.exists(pid)) {
			new ProcessBuilder("kill", Files.readString(pid).strip()).start().waitFor(10, TimeUnit.SECONDS);
		}
		new ProcessBuilder("/usr/sbin/nft", "delete", "table", "ip", this.table).start().waitFor(10, TimeUnit.SECONDS);
	}

	private void awaitListening(int port) {
		Awaitility.await("nginx listening on 127.0.0.1:" + port)
			.atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(50))
			.ignoreExceptionsInstanceOf(IOException.class)
			.until(() -> {
				try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
					return true;
				}
			});
	}

	private static String run(List<String> argv, Path switchConfig) throws Exception {
		ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
		builder.environment().put("REPORTING_SWITCH_CONF", switchConfig.toString());
		Process process = builder.start();
		String output = new String(process.getInputStream().readAllBytes());
		if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
			throw new IllegalStateException(argv + " failed: " + output);
		}
		return output;
	}

}
