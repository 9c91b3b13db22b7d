package au.edu.unimelb.reporting.ops.nightly;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each run stages in a folder of its own, named from its id alone, and leaves nothing
 * behind.
 */
class StagingTest {

	@Test
	void aRunsFoldersAreNamedFromItsIdAlone(@TempDir Path dir) {
		Staging staging = new Staging(settings(dir));

		assertThat(staging.runFolder("3f2a/../x")).isEqualTo(dir.resolve("3f2a____x"));
		assertThat(staging.dumpFolder("42")).isEqualTo(dir.resolve("42").resolve("dump"));
		assertThat(staging.restoredFolder("42")).isEqualTo(dir.resolve("42").resolve("restored"));
	}

	@Test
	void deletesARunsFolderWithEverythingInIt(@TempDir Path dir) throws Exception {
		Staging staging = new Staging(settings(dir));
		Path dump = staging.dumpFolder("42");
		Staging.createFolder(dump);
		Files.writeString(dump.resolve(Staging.DUMP_FILE), "dump");

		assertThat(Staging.folderSize(dump)).isEqualTo(4);
		Staging.deleteTree(staging.runFolder("42"));

		assertThat(staging.runFolder("42")).doesNotExist();
	}

	private static BackupSettings settings(Path stagingDir) {
		BackupSettings defaults = TestBackupSettings.defaults();
		return new BackupSettings(defaults.enabled(), defaults.cron(), defaults.timeZone(), defaults.targetUrlPrefix(),
				defaults.gpgKeyId(), defaults.gpgPassphrase(), defaults.keepDays(), defaults.keepWeeks(),
				defaults.keepMonths(), defaults.weeklyOn(), defaults.monthlyOn(), defaults.minimumKept(), stagingDir,
				defaults.swift(), defaults.gnupgHome(), defaults.archiveDir(), defaults.commandTimeout(),
				defaults.retryCycle(), defaults.restoreJobs(), defaults.qaRestoreAfter(), defaults.transferRetryDelay(),
				defaults.dumpCompression(), defaults.restoreMaintenanceWorkMem());
	}

}
