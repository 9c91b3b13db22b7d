package au.edu.unimelb.reporting.ops.service;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import au.edu.unimelb.reporting.ops.support.ThreadDumpOnTimeout;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar, as a separate process on its embedded H2 default, the way the README
 * ("Just the service") runs it: it starts, reports health UP, keeps its REST API closed,
 * and stops cleanly on SIGTERM.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(ThreadDumpOnTimeout.class)
class PackagedJarSmokeIT {

	@TempDir
	Path workDir;

	@Test
	void startsOnH2ReportsHealthAndStops() throws Exception {
		Path jar = Path.of(System.getProperty("service.jar", "target/reporting-ops.jar"));
		assertThat(jar).as("built by mvn package").exists();
		int port = freePort();
		Path log = this.workDir.resolve("service.log");
		Process service = new ProcessBuilder(List.of(javaBinary(), "-jar", jar.toAbsolutePath().toString(),
				"--server.port=" + port, "--server.address=127.0.0.1"))
			.directory(this.workDir.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		try {
			String base = "http://127.0.0.1:" + port;
			assertThat(waitForHealth(service, base + "/actuator/health", Duration.ofSeconds(120)))
				.as("health UP; log: %s", log)
				.contains("\"UP\"");
			assertThat(get(base + "/engine-rest/process-definition").statusCode()).isEqualTo(401);
			assertThat(this.workDir.resolve("data/engine.mv.db")).as("the H2 file database under ./data").exists();
			assertThat(this.workDir.resolve("data/initial-admin-password")).exists();
		}
		finally {
			service.destroy();
			boolean stopped = service.waitFor(30, TimeUnit.SECONDS);
			if (!stopped) {
				service.destroyForcibly();
			}
			assertThat(stopped).as("stops within 30 s of SIGTERM").isTrue();
		}
		assertThat(Files.readString(log)).contains("Started ReportingOpsApplication")
			.doesNotContain("APPLICATION FAILED TO START");
	}

	private static String waitForHealth(Process service, String url, Duration limit) {
		return Awaitility.await("a healthy answer from " + url)
			.atMost(limit)
			.pollInterval(Duration.ofMillis(250))
			.failFast(() -> assertThat(service.isAlive()).as("the service is still running").isTrue())
			// the port is not open yet
			.ignoreExceptionsInstanceOf(IOException.class)
			.until(() -> get(url), (response) -> response.statusCode() == 200)
			.body();
	}

	private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
					HttpResponse.BodyHandlers.ofString());
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static String javaBinary() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

}
