package au.edu.unimelb.reporting.ops.ssh;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The fixed command that writes a file names only its path (and length), and only a plain
 * one; it replaces the file only when all of the content arrived.
 */
class RemoteFileTest {

	@Test
	void writesThroughStandardInputWithModeOwnerOnlyAndReplacesInOneStepWhenAllArrived() {
		RemoteFile file = new RemoteFile("/etc/reporting/db-password", "s3cret-pw\n".getBytes());
		assertThat(file.command())
			.isEqualTo("umask 077 && mkdir -p /etc/reporting && rm -f /etc/reporting/db-password.tmp"
					+ " && (set -C; cat > /etc/reporting/db-password.tmp)"
					+ " && [ \"$(wc -c < /etc/reporting/db-password.tmp)\" -eq 10 ]"
					+ " && chmod 600 /etc/reporting/db-password.tmp && mv -f /etc/reporting/db-password.tmp "
					+ "/etc/reporting/db-password");
		assertThat(file.command()).doesNotContain("s3cret");
		assertThat(new RemoteFile(".ssh/authorized_keys2", new byte[0]).command())
			.startsWith("umask 077 && mkdir -p .ssh && rm -f .ssh/authorized_keys2.tmp");
	}

	@Test
	void namesOnlyThePathWhenLogged() {
		assertThat(new RemoteFile("/etc/reporting/db-password", "s3cret-pw\n".getBytes()))
			.hasToString("/etc/reporting/db-password");
	}

	@Test
	void aTruncatedInputDoesNotReplaceTheFile(@TempDir Path dir) throws Exception {
		Path target = dir.resolve("secrets/db-password");
		Files.createDirectories(target.getParent());
		Files.writeString(target, "good-old-password\n");
		RemoteFile file = new RemoteFile("secrets/db-password", "new-password\n".getBytes());

		// The connection dropped after 4 bytes: cat sees end of file and succeeds.
		assertThat(sh(dir, file.command(), "new-".getBytes())).isNotZero();
		assertThat(target).hasContent("good-old-password");

		assertThat(sh(dir, file.command(), file.content())).isZero();
		assertThat(target).hasContent("new-password");
		assertThat(Files.getPosixFilePermissions(target)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
				PosixFilePermission.OWNER_WRITE);
	}

	/** Runs the command as the remote side's shell would, in a folder, with its input. */
	private static int sh(Path dir, String command, byte[] input) throws Exception {
		Process process = new ProcessBuilder("/bin/sh", "-c", command).directory(dir.toFile())
			.redirectErrorStream(true)
			.start();
		try (OutputStream stdin = process.getOutputStream()) {
			stdin.write(input);
		}
		process.getInputStream().readAllBytes();
		assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
		return process.exitValue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "/", "/etc/../root/x", "../x", "/etc/./x", "/tmp/x y", "/tmp/$(id)", "/tmp/x;rm",
			"-rf", "/etc/-x", "/tmp/x\n", "~/x" })
	void refusesAnythingButAPlainPath(String path) {
		assertThatThrownBy(() -> new RemoteFile(path, new byte[0])).isInstanceOf(IllegalArgumentException.class);
	}

}
