package au.edu.unimelb.reporting.ops.backup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import au.edu.unimelb.reporting.ops.config.SecretGuard;
import au.edu.unimelb.reporting.ops.duplicity.DuplicityCommands;
import au.edu.unimelb.reporting.ops.duplicity.DuplicityTarget;
import au.edu.unimelb.reporting.ops.nightly.BackupRecords;
import au.edu.unimelb.reporting.ops.nightly.BackupSettings;
import au.edu.unimelb.reporting.ops.nightly.BackupTargets;
import au.edu.unimelb.reporting.ops.nightly.Staging;
import au.edu.unimelb.reporting.ops.nightly.StepFailedException;
import au.edu.unimelb.reporting.ops.shell.CommandRunner;
import au.edu.unimelb.reporting.ops.support.LoopbackBackupEnvironment;
import au.edu.unimelb.reporting.ops.support.MutableClock;
import au.edu.unimelb.reporting.ops.support.ThreadDumpOnTimeout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The tiers' copies of the set a night encrypts once, with the real duplicity and GnuPG:
 * a copy cut off half-way (a volume in place, the manifest half-written under its
 * temporary name) is never taken for a set; the next try cleans it up, copies again, and
 * only {@code verify} records the tier as verified. A copy whose bytes went bad does not
 * verify: each tier's copy is still decrypted and compared with the dump.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(ThreadDumpOnTimeout.class)
class SetCopyWithDuplicityIT {

	@Test
	void aCopyCutOffIsCleanedUpCopiedAgainAndOnlyAVerifiedCopyIsRecordedVerified(@TempDir Path dir) throws Exception {
		Path gnupg = dir.resolve("gnupg");
		String fingerprint = LoopbackBackupEnvironment.makeKey(gnupg);
		Path target = dir.resolve("target");
		BackupSettings settings = RetentionWithDuplicityIT.settings(target, fingerprint, gnupg, dir);
		MutableClock clock = new MutableClock(Instant.parse("2026-03-01T14:30:00Z"));
		JdbcTemplate jdbc = RetentionWithDuplicityIT.records();
		BackupRecords records = new BackupRecords(jdbc);
		Staging staging = new Staging(settings);
		TierSteps steps = RetentionWithDuplicityIT.service(settings, clock, jdbc);
		String runId = "night-1";
		Path dump = staging.dumpFolder(runId);
		Files.createDirectories(dump);
		byte[] data = new byte[3 << 20];
		new Random(42).nextBytes(data);
		Files.write(dump.resolve(Staging.DUMP_FILE), data);
		Files.writeString(dump.resolve(Staging.ROW_COUNTS_FILE), "public.events\t42\n");

		// the dump step's one encryption
		CommandRunner runner = new CommandRunner(new SecretGuard(List.of(settings.gpgPassphrase())));
		DuplicityCommands duplicity = new BackupTargets(settings, runner).duplicity()
			.withArchiveDir(staging.setCacheFolder(runId));
		runner.run(duplicity.full(dump, DuplicityTarget.file("file://" + staging.setFolder(runId)), "staged",
				clock.instant()));
		List<String> setFiles = names(staging.setFolder(runId));
		assertThat(setFiles).anyMatch((name) -> name.endsWith(".manifest.gpg"));

		// a copy to the daily tier cut off before its manifest was in place
		Path daily = target.resolve("reporting-daily");
		Files.createDirectories(daily);
		for (String name : setFiles) {
			Path file = staging.setFolder(runId).resolve(name);
			if (name.endsWith(".manifest.gpg")) {
				byte[] manifest = Files.readAllBytes(file);
				Files.write(daily.resolve("." + name + ".part"),
						java.util.Arrays.copyOf(manifest, manifest.length / 2));
			}
			else {
				Files.copy(file, daily.resolve(name));
			}
		}

		Instant set = steps.upload(runId, "daily", clock.instant());
		assertThat(records.isVerified("daily", set)).as("copied, not yet verified").isFalse();
		assertThat(names(daily)).as("the daily tier holds the set and nothing else").isEqualTo(setFiles);
		steps.verify(runId, "daily", set);
		assertThat(records.isVerified("daily", set)).isTrue();

		// a copy whose volume went bad after it was made: verify decrypts it and says no
		Instant weekly = steps.upload(runId, "weekly", clock.instant());
		assertThat(weekly).isEqualTo(set);
		Path volume;
		try (Stream<Path> files = Files.list(target.resolve("reporting-weekly"))) {
			volume = files.filter((file) -> file.getFileName().toString().contains(".vol1.")).findFirst().orElseThrow();
		}
		try (var channel = Files.newByteChannel(volume, StandardOpenOption.WRITE)) {
			channel.position(Files.size(volume) / 2);
			channel.write(java.nio.ByteBuffer.wrap(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }));
		}
		assertThatThrownBy(() -> steps.verify(runId, "weekly", weekly)).isInstanceOf(StepFailedException.class);
		assertThat(records.isVerified("weekly", weekly)).isFalse();
	}

	private static List<String> names(Path folder) throws Exception {
		try (Stream<Path> files = Files.list(folder)) {
			return files.map((file) -> file.getFileName().toString()).sorted().toList();
		}
	}

}
