package au.edu.unimelb.reporting.ops.ssh;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The fixed command that writes a file names only its path, and only a plain one.
 */
class RemoteFileTest {

	@Test
	void writesThroughStandardInputWithModeOwnerOnlyAndReplacesInOneStep() {
		RemoteFile file = new RemoteFile("/etc/reporting/db-password", "s3cret-pw\n".getBytes());
		assertThat(file.command())
			.isEqualTo("umask 077 && mkdir -p /etc/reporting && cat > /etc/reporting/db-password.tmp"
					+ " && chmod 600 /etc/reporting/db-password.tmp && mv -f /etc/reporting/db-password.tmp "
					+ "/etc/reporting/db-password");
		assertThat(file.command()).doesNotContain("s3cret");
		assertThat(file).hasToString("/etc/reporting/db-password (10 bytes)");
		assertThat(new RemoteFile(".ssh/authorized_keys2", new byte[0]).command())
			.startsWith("umask 077 && mkdir -p .ssh && cat > .ssh/authorized_keys2.tmp");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "/", "/etc/../root/x", "../x", "/etc/./x", "/tmp/x y", "/tmp/$(id)", "/tmp/x;rm",
			"-rf", "/etc/-x", "/tmp/x\n", "~/x" })
	void refusesAnythingButAPlainPath(String path) {
		assertThatThrownBy(() -> new RemoteFile(path, new byte[0])).isInstanceOf(IllegalArgumentException.class);
	}

}
