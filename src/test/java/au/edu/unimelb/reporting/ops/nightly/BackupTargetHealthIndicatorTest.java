package au.edu.unimelb.reporting.ops.nightly;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.DayOfWeek;
import java.time.Duration;
import java.util.List;

import au.edu.unimelb.reporting.ops.config.SecretGuard;
import au.edu.unimelb.reporting.ops.dependencies.DependencyCheck;
import au.edu.unimelb.reporting.ops.dependencies.DependencyChecks;
import au.edu.unimelb.reporting.ops.dependencies.DependencySettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/**
 * What the health of the backup target touches: nothing when the backup is disabled, and
 * never a write; at most one look per {@code cache-for} however often it is polled.
 */
class BackupTargetHealthIndicatorTest {

	private static final FileTime LONG_AGO = FileTime.fromMillis(0);

	@TempDir
	Path dir;

	private final DependencyChecks checks = new DependencyChecks(new SecretGuard(List.of()),
			new DependencySettings(Duration.ofSeconds(1), Duration.ofSeconds(15)));

	@AfterEach
	void stop() {
		this.checks.destroy();
	}

	@Test
	void aDisabledBackupIsUnknownAndItsTargetIsNeverLookedAtNotEvenWhenAnotherCheckStartsTheOldOnes() throws Exception {
		BackupSettings disabled = settings(false);
		BackupTargets targets = spy(new BackupTargets(disabled, null));
		BackupTargetHealthIndicator indicator = new BackupTargetHealthIndicator(disabled, targets, this.checks);
		Files.setLastModifiedTime(this.dir, LONG_AGO);
		DependencyCheck heat = this.checks.check("heat", () -> Health.up().build());

		// the first check starts every other one whose result is old
		assertThat(heat.health().getStatus()).isEqualTo(Status.UP);
		Health health = indicator.health();

		assertThat(health.getStatus()).isEqualTo(Status.UNKNOWN);
		assertThat(health.getDetails()).containsEntry("reason", "the nightly backup is not enabled");
		Thread.sleep(300);
		verify(targets, never()).dailyTarget();
		assertThat(Files.getLastModifiedTime(this.dir)).isEqualTo(LONG_AGO);
	}

	@Test
	void pollsWithinCacheForLookAtTheFolderOnceAndNeverWriteIt() throws Exception {
		BackupSettings enabled = settings(true);
		Path daily = Files.createDirectory(this.dir.resolve("reporting-daily"));
		Files.setLastModifiedTime(daily, LONG_AGO);
		Files.setLastModifiedTime(this.dir, LONG_AGO);
		BackupTargets targets = spy(new BackupTargets(enabled, null));
		BackupTargetHealthIndicator indicator = new BackupTargetHealthIndicator(enabled, targets, this.checks);

		for (int poll = 0; poll < 20; poll++) {
			Health health = indicator.health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails().get("found")).asString().contains("is writable");
			assertThat(health.getDetails().get("checks")).asString().contains("nothing is written");
		}

		verify(targets, times(1)).dailyTarget();
		assertThat(Files.getLastModifiedTime(daily)).isEqualTo(LONG_AGO);
		assertThat(Files.getLastModifiedTime(this.dir)).isEqualTo(LONG_AGO);
	}

	private BackupSettings settings(boolean enabled) {
		return new BackupSettings(enabled, "0 30 1 * * *", TestBackupSettings.MELBOURNE,
				this.dir.toUri().toString() + "reporting", null, null, 7, 5, 12, DayOfWeek.SUNDAY, 1, 2,
				Path.of("data/staging"), null, null, Path.of("data/duplicity-cache"), Duration.ofHours(1), "R2/PT1M", 2,
				true, Duration.ofSeconds(30), 1, "512MB");
	}

}
