package au.edu.unimelb.reporting.ops.webfront;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings;
import au.edu.unimelb.reporting.ops.config.SecretGuard;
import au.edu.unimelb.reporting.ops.ssh.SshCommands;
import au.edu.unimelb.reporting.ops.support.LoopbackSshd;
import au.edu.unimelb.reporting.ops.support.LoopbackWebFront;
import au.edu.unimelb.reporting.ops.support.StandInAppServer;
import au.edu.unimelb.reporting.ops.support.TestEnvironments;
import au.edu.unimelb.reporting.ops.support.ThreadDumpOnTimeout;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link WebFrontSwitch} over real SSH to a real nginx web front switched by
 * {@code web_front/reporting-switch}: switching, the no-op switch, and the faults that
 * must leave the old server serving.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 1, unit = TimeUnit.MINUTES)
@ExtendWith(ThreadDumpOnTimeout.class)
class WebFrontSwitchIT {

	@TempDir
	static Path dir;

	static LoopbackWebFront front;

	static LoopbackSshd sshd;

	static StandInAppServer blue;

	static StandInAppServer green;

	static WebFrontSwitch webFront;

	@BeforeAll
	static void start() throws Exception {
		int appPort = LoopbackSshd.freePort();
		blue = StandInAppServer.start("127.0.0.11", appPort, "build-blue");
		green = StandInAppServer.start("127.0.0.12", appPort, "build-green");
		front = LoopbackWebFront.start(dir.resolve("front"));
		sshd = LoopbackSshd.start(dir.resolve("sshd"),
				Map.of("REPORTING_SWITCH_CONF", front.switchConfig().toString()));
		EnvironmentsSettings environments = TestEnvironments
			.qaOnly(TestEnvironments.webFront(sshd, front, sshd.knownHosts()), appPort);
		webFront = new WebFrontSwitch(environments, new SshCommands(new SecretGuard(List.of())));
	}

	@AfterAll
	static void stop() throws Exception {
		for (AutoCloseable closeable : new AutoCloseable[] { sshd, front, blue, green }) {
			if (closeable != null) {
				closeable.close();
			}
		}
	}

	@Test
	@Order(1)
	void switchesAndTheFrontServesTheNewServerWithinASecond() throws Exception {
		SwitchResult first = webFront.switchTo("qa", blue.address());
		assertThat(first.previous()).isEqualTo("none");
		assertThat(webFront.current("qa")).isEqualTo(blue.address());
		awaitServed("build-blue");

		SwitchResult second = webFront.switchTo("qa", green.address());
		assertThat(second).isEqualTo(new SwitchResult("qa", blue.address(), green.address(), true));
		awaitServed("build-green");
	}

	@Test
	@Order(2)
	void switchingToTheActiveAddressChangesNothing() {
		SwitchResult again = webFront.switchTo("qa", green.address());
		assertThat(again.changed()).isFalse();
		assertThat(again.current()).isEqualTo(green.address());
	}

	@Test
	@Order(3)
	void aFailingNginxCheckLeavesTheOldServerServing() throws Exception {
		front.breakNginxConfig();
		try {
			assertThatThrownBy(() -> webFront.switchTo("qa", blue.address())).isInstanceOf(WebFrontException.class)
				.hasMessageContaining("failed and restored the previous target")
				.hasMessageContaining("nginx");
		}
		finally {
			front.repairNginxConfig();
		}
		assertThat(front.target()).isEqualTo(green.address());
		assertThat(served()).contains("build-green");
	}

	@Test
	@Order(4)
	void aFailingRuleChangeLeavesTheOldServerServing() throws Exception {
		front.failNftOnce();
		assertThatThrownBy(() -> webFront.switchTo("qa", blue.address())).isInstanceOf(WebFrontException.class)
			.hasMessageContaining("failed and restored the previous target");
		assertThat(front.target()).isEqualTo(green.address());
		assertThat(served()).contains("build-green");
	}

	@Test
	@Order(5)
	void refusesAnAddressWhereNothingListens() throws Exception {
		assertThatThrownBy(() -> webFront.switchTo("qa", "127.0.0.13:" + blue.address().split(":")[1]))
			.isInstanceOf(WebFrontException.class);
		assertThat(front.target()).isEqualTo(green.address());
	}

	@Test
	@Order(6)
	void refusesAWebFrontWhoseHostKeyDoesNotMatch() throws Exception {
		WebFrontSwitch spoofed = new WebFrontSwitch(
				TestEnvironments.qaOnly(TestEnvironments.webFront(sshd, front, sshd.wrongKnownHosts()), 80),
				new SshCommands(new SecretGuard(List.of())));
		assertThatThrownBy(() -> spoofed.switchTo("qa", blue.address()))
			.hasMessageContaining("the host key does not match");
		assertThat(front.target()).isEqualTo(green.address());
	}

	@Test
	@Order(7)
	void refusesMalformedAddressesBeforeConnecting() {
		assertThatThrownBy(() -> webFront.switchTo("qa", "127.0.0.11:80;reboot"))
			.isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> webFront.switchTo("qa", "999.0.0.1:80")).isInstanceOf(IllegalArgumentException.class);
	}

	static void awaitServed(String build) {
		Awaitility.await(build + " served through the web front")
			.atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(50))
			.untilAsserted(() -> assertThat(served()).contains(build));
	}

	static String served() throws Exception {
		return front.served();
	}

}
