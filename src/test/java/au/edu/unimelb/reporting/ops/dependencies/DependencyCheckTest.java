package au.edu.unimelb.reporting.ops.dependencies;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import au.edu.unimelb.reporting.ops.config.Secret;
import au.edu.unimelb.reporting.ops.config.SecretGuard;
import au.edu.unimelb.reporting.ops.ssh.SshBanner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

import static org.assertj.core.api.Assertions.assertThat;

class DependencyCheckTest {

	private final ExecutorService executor = Executors.newCachedThreadPool();

	private final SecretGuard guard = new SecretGuard(List.of(Secret.of("s3cret-password")));

	private final DependencySettings settings = new DependencySettings(Duration.ofSeconds(1), Duration.ofSeconds(15));

	@AfterEach
	void stop() {
		this.executor.shutdownNow();
	}

	@Test
	void aRemoteThatAcceptsAndNeverAnswersIsDownWithinASecond() throws Exception {
		try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			DependencyCheck check = check(() -> {
				SshBanner.read("127.0.0.1", silent.getLocalPort(), Duration.ofSeconds(5));
				return Health.up().build();
			});
			long started = System.nanoTime();
			Health health = check.health();
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1800));
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails().get("error").toString()).contains("no answer within 1000 ms");
		}
	}

	@Test
	void aClosedPortIsDownAtOnce() throws Exception {
		int port;
		try (ServerSocket closed = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			port = closed.getLocalPort();
		}
		DependencyCheck check = check(() -> {
			SshBanner.read("127.0.0.1", port, Duration.ofSeconds(1));
			return Health.up().build();
		});
		long started = System.nanoTime();
		Health health = check.health();
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1000));
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails().get("error").toString()).contains("ConnectException");
	}

	@Test
	void anSshServerIsUp() throws Exception {
		try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			Thread answering = new Thread(() -> {
				try (Socket socket = server.accept()) {
					socket.getOutputStream().write("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n".getBytes());
					socket.getInputStream().read();
				}
				catch (Exception ex) {
					// the test sees it
				}
			});
			answering.start();
			assertThat(SshBanner.read("127.0.0.1", server.getLocalPort(), Duration.ofSeconds(1)))
				.isEqualTo("SSH-2.0-OpenSSH_9.2p1 Debian-2");
			answering.join(2000);
		}
	}

	@Test
	void twoHungSystemsHoldARequestForOneTimeoutNotTwo() {
		DependencyChecks checks = new DependencyChecks(this.guard, this.settings);
		try {
			CountDownLatch never = new CountDownLatch(1);
			DependencyCheck heat = checks.check("heat", () -> {
				await(never);
				return Health.up().build();
			});
			DependencyCheck front = checks.check("front", () -> {
				await(never);
				return Health.up().build();
			});
			long started = System.nanoTime();
			assertThat(heat.health().getStatus()).isEqualTo(Status.DOWN);
			assertThat(front.health().getStatus()).isEqualTo(Status.DOWN);
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1800));
			never.countDown();
		}
		finally {
			checks.destroy();
		}
	}

	@Test
	void aResultIsReusedUntilItIsOld() {
		AtomicInteger calls = new AtomicInteger();
		DependencyCheck check = new DependencyCheck("test", () -> {
			calls.incrementAndGet();
			return Health.up().build();
		}, this.executor, this.guard, new DependencySettings(Duration.ofSeconds(1), Duration.ofMillis(300)));
		assertThat(check.health().getStatus()).isEqualTo(Status.UP);
		assertThat(check.health().getStatus()).isEqualTo(Status.UP);
		assertThat(calls).hasValue(1);
		sleep(400);
		assertThat(check.health().getStatus()).isEqualTo(Status.UP);
		assertThat(calls).hasValue(2);
	}

	@Test
	void aCheckThatEndsAtOnceIsStillCheckedAgainWhenOld() {
		AtomicInteger calls = new AtomicInteger();
		DependencyCheck check = new DependencyCheck("test",
				() -> Health.up().withDetail("call", calls.incrementAndGet()).build(), Runnable::run, this.guard,
				new DependencySettings(Duration.ofSeconds(1), Duration.ofMillis(200)));
		assertThat(check.health().getDetails()).containsEntry("call", 1);
		sleep(300);
		assertThat(check.health().getDetails()).containsEntry("call", 2);
	}

	@Test
	void aHungCheckIsNotStartedAgainAndItsDownIsReusedWithoutWaiting() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger calls = new AtomicInteger();
		DependencyCheck check = check(() -> {
			calls.incrementAndGet();
			await(release);
			return Health.up().build();
		});
		assertThat(check.health().getStatus()).isEqualTo(Status.DOWN);
		long started = System.nanoTime();
		assertThat(check.health().getStatus()).isEqualTo(Status.DOWN);
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(100));
		assertThat(calls).hasValue(1);
		release.countDown();
	}

	@Test
	void aCheckThatStaysHungIsDownSayingForHowLongIsNeverStartedTwiceAndIsTriedAgainOnceItEnds() {
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger calls = new AtomicInteger();
		DependencyCheck check = new DependencyCheck("the backup target", () -> {
			calls.incrementAndGet();
			await(release);
			return Health.up().build();
		}, this.executor, this.guard, new DependencySettings(Duration.ofMillis(100), Duration.ofMillis(200)));
		assertThat(check.health().getStatus()).isEqualTo(Status.DOWN);
		sleep(1300);
		// the result is old: a check that ended would be started again now; a hung one is
		// not, and says so
		for (int poll = 0; poll < 5; poll++) {
			Health health = check.health();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails().get("error")).asString()
				.contains("the check of the backup target has not answered for 1 s");
		}
		assertThat(calls).hasValue(1);
		release.countDown();
		sleep(100);
		assertThat(check.health().getStatus()).isEqualTo(Status.UP);
		assertThat(calls).hasValue(2);
	}

	@Test
	void aCheckThatAnswersLateIsDown() throws Exception {
		DependencyCheck check = new DependencyCheck("test", () -> {
			sleep(500);
			return Health.up().build();
		}, this.executor, this.guard, new DependencySettings(Duration.ofMillis(200), Duration.ofSeconds(1)));
		assertThat(check.health().getStatus()).isEqualTo(Status.DOWN);
		sleep(1200);
		// the cache is old: the next check starts, and is late again
		assertThat(check.health().getStatus()).isEqualTo(Status.DOWN);
	}

	@Test
	void aFailureIsDownWithItsMessageAndNoSecret() {
		DependencyCheck check = check(() -> {
			throw new IllegalStateException("login with s3cret-password refused");
		});
		Health health = check.health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails().get("error").toString()).contains("refused").doesNotContain("s3cret");
		DependencyCheck detail = check(() -> Health.up().withDetail("said", "s3cret-password").build());
		assertThat(detail.health().getDetails().get("said")).isEqualTo("******");
	}

	private DependencyCheck check(java.util.function.Supplier<Health> probe) {
		return new DependencyCheck("test", probe, this.executor, this.guard, this.settings);
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
