package au.edu.unimelb.reporting.ops.openstack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import au.edu.unimelb.reporting.ops.config.CloudSettings;
import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings;
import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings.EnvironmentSettings;
import au.edu.unimelb.reporting.ops.config.Secret;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openstack4j.api.OSClient.OSClientV3;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared Keystone tokens against a fake Keystone whose first answer hangs: a health
 * check neither waits for a deploy's authentication nor makes one wait for its own.
 */
class OpenStackSessionsTest {

	private final ExecutorService threads = Executors.newCachedThreadPool();

	private final CountDownLatch firstArrived = new CountDownLatch(1);

	private final CountDownLatch releaseFirst = new CountDownLatch(1);

	private final AtomicInteger requests = new AtomicInteger();

	private HttpServer keystone;

	private OpenStackSessions sessions;

	@BeforeEach
	void start() throws IOException {
		this.keystone = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.keystone.setExecutor(this.threads);
		this.keystone.createContext("/v3/auth/tokens", this::token);
		this.keystone.start();
		String authUrl = "http://127.0.0.1:" + this.keystone.getAddress().getPort() + "/v3";
		CloudSettings cloud = new CloudSettings(authUrl, "reporting", "Default", "reporting-ops",
				Secret.of("keystone-password"), null, 60, null);
		this.sessions = new OpenStackSessions(new EnvironmentsSettings(
				new EnvironmentSettings(cloud, null, null, null, null, "/health", 8080), null));
	}

	@AfterEach
	void stop() {
		this.releaseFirst.countDown();
		this.keystone.stop(0);
		this.threads.shutdownNow();
	}

	@Test
	void aCheckDoesNotWaitWhileADeployAuthenticates() throws Exception {
		CompletableFuture<OSClientV3> deploy = CompletableFuture.supplyAsync(() -> this.sessions.client("qa"),
				this.threads);
		assertThat(this.firstArrived.await(5, TimeUnit.SECONDS)).isTrue();

		long started = System.nanoTime();
		CompletableFuture<OSClientV3> check = CompletableFuture
			.supplyAsync(() -> this.sessions.client("qa", Duration.ofSeconds(1)), this.threads);
		OSClientV3 checked = check.get(5, TimeUnit.SECONDS);

		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1500));
		assertThat(checked.getToken().getId()).isEqualTo("token-2");
		this.releaseFirst.countDown();
		assertThat(deploy.get(5, TimeUnit.SECONDS).getToken().getId()).isEqualTo("token-1");
	}

	@Test
	void aRefusedTokenIsDroppedOnlyWhileNoOneHasRenewedIt() {
		this.releaseFirst.countDown();
		OSClientV3 old = this.sessions.client("qa");
		this.sessions.forget("qa");
		OSClientV3 renewed = this.sessions.client("qa");
		assertThat(renewed.getToken().getId()).isEqualTo("token-2");

		// a check that used the old token learns late that it was refused
		this.sessions.forget("qa", old);

		assertThat(this.sessions.client("qa", Duration.ofSeconds(1)).getToken().getId()).isEqualTo("token-2");
		this.sessions.forget("qa", renewed);
		assertThat(this.sessions.client("qa").getToken().getId()).isEqualTo("token-3");
	}

	private void token(HttpExchange exchange) throws IOException {
		int number = this.requests.incrementAndGet();
		exchange.getRequestBody().readAllBytes();
		if (number == 1) {
			this.firstArrived.countDown();
			try {
				this.releaseFirst.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		byte[] body = ("{\"token\": {\"methods\": [\"password\"], \"expires_at\": \"2099-01-01T00:00:00.000000Z\", "
				+ "\"issued_at\": \"2026-01-01T00:00:00.000000Z\", "
				+ "\"project\": {\"id\": \"p1\", \"name\": \"reporting\", \"domain\": {\"id\": \"default\", "
				+ "\"name\": \"Default\"}}, \"user\": {\"id\": \"u1\", \"name\": \"reporting-ops\", "
				+ "\"domain\": {\"id\": \"default\", \"name\": \"Default\"}}, \"catalog\": []}}")
			.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("X-Subject-Token", "token-" + number);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(201, body.length);
		exchange.getResponseBody().write(body);
		exchange.close();
	}

}
