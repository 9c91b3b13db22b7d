package au.edu.unimelb.reporting.ops.duplicity;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import au.edu.unimelb.reporting.ops.config.Secret;
import au.edu.unimelb.reporting.ops.shell.Command;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DuplicityCommandsTest {

	final DuplicityCommands duplicity = new DuplicityCommands("0123456789ABCDEF", Secret.of("gpg-passphrase-1"),
			Path.of("/var/lib/ops/gnupg"), Path.of("/var/lib/ops/duplicity-cache"), Duration.ofHours(2),
			Duration.ofSeconds(30));

	final DuplicityTarget swift = new DuplicityTarget("swift://reporting-daily", "http://127.0.0.1:8081/auth/v1.0", 1,
			"test:tester", Secret.of("swift-key-1"));

	@Test
	void uploadsAFullSetEncryptedToTheKeyWithoutGpgCompression() {
		Command full = this.duplicity.full(Path.of("/staging/2026-11-24"), this.swift, "reporting-daily");
		assertThat(full.argv()).containsExactly("duplicity", "full", "--name", "reporting-daily", "--archive-dir",
				"/var/lib/ops/duplicity-cache", "--num-retries", "3", "--backend-retry-delay", "30", "--verbosity",
				"notice", "--gpg-options", "--compress-algo=none --no-autostart", "--volsize", "250", "--encrypt-key",
				"0123456789ABCDEF", "--allow-source-mismatch", "/staging/2026-11-24", "swift://reporting-daily");
		assertThat(full.timeout()).isEqualTo(Duration.ofHours(2));
	}

	@Test
	void givesTheSetItsTimeWhenTheServiceRunsOnAnInjectedClock() {
		Command full = this.duplicity.full(Path.of("/staging/x"), this.swift, "reporting-daily",
				java.time.Instant.parse("2026-03-01T14:30:00Z"));
		assertThat(full.argv()).containsSequence("full", "--name", "reporting-daily")
			.containsSequence("--current-time", "1772375400");
	}

	@Test
	void passesSecretsOnlyThroughTheEnvironment() {
		Command full = this.duplicity.full(Path.of("/staging"), this.swift, "reporting-daily");
		assertThat(String.join(" ", full.argv())).doesNotContain("gpg-passphrase-1").doesNotContain("swift-key-1");
		assertThat(full.secretEnvironment()).containsOnlyKeys("PASSPHRASE", "SWIFT_PASSWORD", "ST_KEY");
		assertThat(full.environment()).containsEntry("GNUPGHOME", "/var/lib/ops/gnupg")
			.containsEntry("SWIFT_USERNAME", "test:tester")
			.containsEntry("ST_USER", "test:tester")
			.containsEntry("ST_AUTH", "http://127.0.0.1:8081/auth/v1.0")
			.containsEntry("SWIFT_AUTHVERSION", "1");
	}

	@Test
	void needsNoSwiftVariablesForAFolder() {
		Command status = this.duplicity.collectionStatus(DuplicityTarget.file("file:///srv/backup/reporting-daily"),
				"reporting-daily");
		assertThat(status.argv()).startsWith("duplicity", "collection-status")
			.endsWith("file:///srv/backup/reporting-daily")
			.doesNotContain("--force");
		assertThat(status.environment()).containsOnlyKeys("GNUPGHOME", "TZ").containsEntry("TZ", "UTC");
		assertThat(status.secretEnvironment()).containsOnlyKeys("PASSPHRASE");
	}

	@Test
	void removesChainsOlderThanACutoffInEpochSeconds() {
		Command remove = this.duplicity.removeOlderThan(this.swift, "reporting-daily",
				Instant.parse("2026-11-17T14:30:00Z"));
		assertThat(remove.argv()).startsWith("duplicity", "remove-older-than")
			.endsWith("1794925800", "--force", "swift://reporting-daily");
	}

}
