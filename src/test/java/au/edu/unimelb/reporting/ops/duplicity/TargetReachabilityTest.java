package au.edu.unimelb.reporting.ops.duplicity;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;

import au.edu.unimelb.reporting.ops.config.Secret;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class TargetReachabilityTest {

	@TempDir
	Path dir;

	@Test
	void aWritableFolderIsReachableAndNothingIsWrittenToSaySo() throws Exception {
		Path daily = Files.createDirectory(this.dir.resolve("reporting-daily"));
		Files.setLastModifiedTime(daily, FileTime.fromMillis(0));
		assertThat(TargetReachability.check(DuplicityTarget.file(daily.toUri().toString()), Duration.ofSeconds(1)))
			.contains("is writable");
		try (var left = Files.list(daily)) {
			assertThat(left).isEmpty();
		}
		// a file made and deleted would have changed it
		assertThat(Files.getLastModifiedTime(daily)).isEqualTo(FileTime.fromMillis(0));
	}

	@Test
	void aFolderNotMadeYetIsReachableWhenItsParentIsWritable() {
		String url = this.dir.resolve("reporting-daily").toUri().toString();
		assertThat(TargetReachability.check(DuplicityTarget.file(url), Duration.ofSeconds(1)))
			.contains("made by the first backup");
	}

	@Test
	void aMissingFolderIsNot() {
		String url = this.dir.resolve("gone/reporting-daily").toUri().toString();
		assertThatIllegalStateException()
			.isThrownBy(() -> TargetReachability.check(DuplicityTarget.file(url), Duration.ofSeconds(1)))
			.withMessageContaining("exists");
	}

	@Test
	void aSwiftThatNeverAnswersFailsWithinTheTimeout() throws Exception {
		try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			DuplicityTarget target = new DuplicityTarget("swift://reporting-daily",
					"http://127.0.0.1:" + silent.getLocalPort() + "/auth/v1.0", 1, "test:tester",
					Secret.of("testing-key"));
			long started = System.nanoTime();
			assertThatIllegalStateException().isThrownBy(() -> TargetReachability.check(target, Duration.ofMillis(500)))
				.withMessageContaining("did not answer")
				.withMessageNotContaining("testing-key");
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1500));
		}
	}

	@Test
	void probesShareOneHttpClientSoPollingStartsNoThreads() throws Exception {
		HttpServer swift = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		swift.createContext("/", (exchange) -> {
			exchange.sendResponseHeaders(401, -1);
			exchange.close();
		});
		swift.start();
		try {
			DuplicityTarget target = new DuplicityTarget("swift://reporting-daily",
					"http://127.0.0.1:" + swift.getAddress().getPort() + "/auth/v1.0", 1, "test:tester",
					Secret.of("testing-key"));
			assertThatIllegalStateException().isThrownBy(() -> TargetReachability.check(target, Duration.ofSeconds(1)))
				.withMessageContaining("refused");
			long before = selectorThreads();
			for (int probe = 0; probe < 10; probe++) {
				assertThatIllegalStateException()
					.isThrownBy(() -> TargetReachability.check(target, Duration.ofSeconds(1)));
			}
			// each java.net.http.HttpClient owns a selector thread, which lives as long
			// as it
			assertThat(selectorThreads()).isLessThanOrEqualTo(before);
		}
		finally {
			swift.stop(0);
		}
	}

	@Test
	void aKeystoneAuthenticatedSwiftSaysThatOnlyItsAuthUrlIsChecked() throws Exception {
		HttpServer keystone = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		keystone.createContext("/", (exchange) -> {
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		keystone.start();
		try {
			DuplicityTarget target = new DuplicityTarget("swift://reporting-daily",
					"http://127.0.0.1:" + keystone.getAddress().getPort() + "/v3", 3, "reporting-backup",
					Secret.of("testing-key"));
			assertThat(TargetReachability.check(target, Duration.ofSeconds(1))).contains("auth URL answers HTTP 200")
				.contains("the credentials and the container are not checked");
			assertThat(TargetReachability.checks(target)).contains("only that the auth URL answers")
				.contains("no project or domain");
		}
		finally {
			keystone.stop(0);
		}
	}

	@Test
	void eachKindOfTargetSaysWhatIsChecked() {
		assertThat(TargetReachability.checks(DuplicityTarget.file("file:///srv/backup/reporting-daily")))
			.contains("access check");
		assertThat(TargetReachability.checks(new DuplicityTarget("swift://reporting-daily",
				"http://127.0.0.1:8080/auth/v1.0", 1, "test:tester", Secret.of("testing-key"))))
			.contains("HEAD of the container");
	}

	private static long selectorThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().endsWith("SelectorManager"))
			.count();
	}

}
