package au.edu.unimelb.reporting.ops.ssh;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import au.edu.unimelb.reporting.ops.config.SecretGuard;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.KeyPair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One deadline for a whole SSH call, against a peer on loopback that never finishes its
 * greeting (SshCommandsIT has a real sshd).
 */
class SshCommandsTest {

	static final Duration TIMEOUT = Duration.ofSeconds(2);

	final SshCommands ssh = new SshCommands(new SecretGuard(List.of()));

	ServerSocket server;

	Thread peer;

	@TempDir
	Path dir;

	@BeforeEach
	void startSlowPeer() throws Exception {
		this.server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
		// Sends a line that is not "SSH-..." every half second: jsch skips such lines
		// without limit, and each one resets its per-read timeout.
		this.peer = new Thread(() -> {
			while (!this.server.isClosed()) {
				try (Socket socket = this.server.accept()) {
					OutputStream out = socket.getOutputStream();
					for (int i = 0; i < 60; i++) {
						out.write("x\n".getBytes(StandardCharsets.US_ASCII));
						out.flush();
						Thread.sleep(500);
					}
				}
				catch (Exception ex) {
					// the client hung up, or the test ended
				}
			}
		}, "slow-banner-peer");
		this.peer.setDaemon(true);
		this.peer.start();
	}

	@AfterEach
	void stopSlowPeer() throws Exception {
		this.server.close();
		this.peer.interrupt();
	}

	@Test
	void writeEndsAtItsDeadlineWhenThePeerTricklesAGreetingForever() throws Exception {
		SshTarget target = target();
		long start = System.nanoTime();
		assertThatThrownBy(() -> this.ssh.write(target, List.of(new RemoteFile("/tmp/x", "pw".getBytes()))))
			.isInstanceOf(SshException.class)
			.hasMessageContaining("did not finish within its deadline of 2 s");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.plusSeconds(1));
	}

	@Test
	void runEndsAtItsDeadlineWhenThePeerTricklesAGreetingForever() throws Exception {
		SshTarget target = target();
		long start = System.nanoTime();
		assertThatThrownBy(() -> this.ssh.run(target, List.of("true"))).isInstanceOf(SshException.class)
			.hasMessageContaining("did not finish within its deadline of 2 s");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.plusSeconds(1));
	}

	@Test
	void boundsACallByItsTimeoutPlusAGrace() {
		assertThat(SshCommands.bound(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(32));
	}

	private SshTarget target() throws Exception {
		Path key = this.dir.resolve("id_rsa");
		KeyPair pair = KeyPair.genKeyPair(new JSch(), KeyPair.RSA, 2048);
		pair.writePrivateKey(key.toString());
		pair.dispose();
		return SshTarget.withHostKeys("127.0.0.1", this.server.getLocalPort(), "app", key,
				ConsoleHostKeys.parse("-----BEGIN SSH HOST KEY KEYS-----\n" + ConsoleHostKeysTest.ED25519
						+ " root@x\n-----END SSH HOST KEY KEYS-----\n"),
				TIMEOUT);
	}

}
