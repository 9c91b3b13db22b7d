package au.edu.unimelb.reporting.ops.nightly;

import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;

import au.edu.unimelb.reporting.ops.config.Secret;
import au.edu.unimelb.reporting.ops.shell.CommandRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

class BackupTargetsTest {

	@Test
	void duplicityWaitsTheConfiguredTransferRetryDelayBetweenItsOwnRetries(@TempDir Path gnupg) {
		BackupSettings settings = new BackupSettings(false, "0 30 1 * * *", TestBackupSettings.MELBOURNE,
				"file:///srv/backup/reporting", "0123456789ABCDEF", Secret.of("gpg-passphrase-1"), 7, 5, 12,
				DayOfWeek.SUNDAY, 1, 2, Path.of("data/staging"), null, gnupg, Path.of("data/duplicity-cache"),
				Duration.ofHours(1), "R2/PT1M", 2, true, Duration.ofSeconds(7), 1, "512MB");
		BackupTargets targets = new BackupTargets(settings, mock(CommandRunner.class));

		assertThat(
				targets.duplicity().full(Path.of("/staging/x"), targets.target(Tier.DAILY), "reporting-daily").argv())
			.containsSequence("--backend-retry-delay", "7");
	}

}
