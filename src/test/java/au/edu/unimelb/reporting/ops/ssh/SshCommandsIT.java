package au.edu.unimelb.reporting.ops.ssh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import au.edu.unimelb.reporting.ops.config.Secret;
import au.edu.unimelb.reporting.ops.config.SecretGuard;
import au.edu.unimelb.reporting.ops.support.LoopbackSshd;
import au.edu.unimelb.reporting.ops.support.ThreadDumpOnTimeout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link SshCommands} against a real OpenSSH sshd on loopback: exit status and output,
 * the deadline, a host key that does not match, a refused connection, a hostile remote's
 * error output, and arguments that are not plain words.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
@ExtendWith(ThreadDumpOnTimeout.class)
class SshCommandsIT {

	@TempDir
	static Path dir;

	static LoopbackSshd sshd;

	static final String SECRET = "db-password-4711";

	final SshCommands ssh = new SshCommands(new SecretGuard(List.of()));

	@BeforeAll
	static void startSshd() throws Exception {
		sshd = LoopbackSshd.start(dir.resolve("sshd"), Map.of("REPORTING_TEST_MARK", "from-sshd"));
	}

	@AfterAll
	static void stopSshd() throws Exception {
		sshd.close();
	}

	@Test
	void runsACommandAndReturnsItsStatusAndOutput() {
		SshResult result = this.ssh.run(target(sshd.knownHosts(), Duration.ofSeconds(10)),
				List.of("printenv", "REPORTING_TEST_MARK"));
		assertThat(result.exitStatus()).isZero();
		assertThat(result.stdout()).isEqualTo("from-sshd\n");

		SshResult failed = this.ssh.run(target(sshd.knownHosts(), Duration.ofSeconds(10)),
				List.of("ls", "/no/such/dir"));
		assertThat(failed.exitStatus()).isEqualTo(2);
		assertThat(failed.stderr()).contains("No such file");
	}

	@Test
	void refusesAHostWhoseKeyDoesNotMatchKnownHosts() throws Exception {
		assertThatThrownBy(() -> this.ssh.run(target(sshd.wrongKnownHosts(), Duration.ofSeconds(10)), List.of("true")))
			.isInstanceOf(SshException.class)
			.hasMessageContaining("the host key does not match");
	}

	@Test
	void reportsARefusedConnection() throws Exception {
		SshTarget nobodyListens = new SshTarget("127.0.0.1", LoopbackSshd.freePort(), "root", sshd.clientKey(),
				sshd.knownHosts(), Duration.ofSeconds(5));
		assertThatThrownBy(() -> this.ssh.run(nobodyListens, List.of("true"))).isInstanceOf(SshException.class)
			.hasMessageContaining("root@127.0.0.1");
	}

	@Test
	void stopsWaitingAtTheDeadline() {
		long start = System.nanoTime();
		assertThatThrownBy(() -> this.ssh.run(target(sshd.knownHosts(), Duration.ofSeconds(2)), List.of("sleep", "30")))
			.isInstanceOf(SshException.class)
			.hasMessageContaining("did not finish within");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
	}

	@Test
	void masksTheSecretWhenAHostileRemoteEchoesItToItsErrorOutput() throws Exception {
		// A remote that prints what it is sent to its error output and fails: sshd runs
		// the authorized key's forced command instead of the write.
		try (LoopbackSshd hostile = LoopbackSshd.start(dir.resolve("hostile"), Map.of())) {
			Path authorizedKeys = dir.resolve("hostile/authorized_keys");
			Files.writeString(authorizedKeys, "command=\"cat >&2; exit 3\" " + Files.readString(authorizedKeys));
			SshCommands guarded = new SshCommands(new SecretGuard(List.of(Secret.of(SECRET))));
			SshTarget target = new SshTarget("127.0.0.1", hostile.port(), "root", hostile.clientKey(),
					hostile.knownHosts(), Duration.ofSeconds(10));

			assertThatThrownBy(() -> guarded.write(target,
					List.of(new RemoteFile(dir.resolve("pw").toString(), (SECRET + "\n").getBytes()))))
				.isInstanceOf(SshException.class)
				.hasMessageContaining("failed (exit 3)")
				.hasMessageContaining("******")
				.hasMessageNotContaining(SECRET);
		}
	}

	@Test
	void sendsOnlyPlainWords() {
		assertThatThrownBy(() -> this.ssh.run(target(sshd.knownHosts(), Duration.ofSeconds(5)),
				List.of("echo", "x; touch /tmp/owned")))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("only plain words");
	}

	private static SshTarget target(Path knownHosts, Duration timeout) {
		return new SshTarget("127.0.0.1", sshd.port(), "root", sshd.clientKey(), knownHosts, timeout);
	}

}
