package au.edu.unimelb.reporting.ops.backup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import au.edu.unimelb.reporting.ops.config.Secret;
import au.edu.unimelb.reporting.ops.config.SecretGuard;
import au.edu.unimelb.reporting.ops.nightly.BackupRecords;
import au.edu.unimelb.reporting.ops.nightly.BackupSettings;
import au.edu.unimelb.reporting.ops.nightly.BackupTargets;
import au.edu.unimelb.reporting.ops.nightly.Staging;
import au.edu.unimelb.reporting.ops.nightly.StepFailedException;
import au.edu.unimelb.reporting.ops.nightly.Tier;
import au.edu.unimelb.reporting.ops.shell.CommandRunner;
import au.edu.unimelb.reporting.ops.support.LoopbackBackupEnvironment;
import au.edu.unimelb.reporting.ops.support.MutableClock;
import au.edu.unimelb.reporting.ops.support.ThreadDumpOnTimeout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ScriptUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Upload, verify and retention with the real duplicity and GnuPG over simulated nights
 * (an injected clock, which also gives duplicity each set's time): after every night, the
 * sets each tier holds are exactly the row of the table below. Six nights in a row the
 * daily upload fails (its key is not in the keyring): nothing is removed on a failed
 * night, and the next good night keeps the floor of two verified sets where
 * {@code remove-older-than 3D} alone would leave one.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(ThreadDumpOnTimeout.class)
class RetentionWithDuplicityIT {

	static final ZoneId MELBOURNE = ZoneId.of("Australia/Melbourne");

	static final LocalDate FIRST = LocalDate.of(2026, 3, 1);

	/**
	 * Night (day of March 2026) -> the nights whose sets the daily tier holds after it;
	 * keep 3 days, floor 2. Nights 6 to 11 fail.
	 */
	static final Map<Integer, List<Integer>> DAILY = table(1, List.of(1), 2, List.of(1, 2), 3, List.of(1, 2, 3), 4,
			List.of(2, 3, 4), 5, List.of(3, 4, 5), 6, List.of(3, 4, 5), 11, List.of(3, 4, 5), 12, List.of(5, 12), 13,
			List.of(12, 13));

	/** The weekly tier (Sundays 1 and 8 March; keep 1 week, floor 2). */
	static final Map<Integer, List<Integer>> WEEKLY = table(1, List.of(1), 7, List.of(1), 8, List.of(1, 8), 13,
			List.of(1, 8));

	@Test
	void keepsExactlyThePlannedSetsNightAfterNight(@TempDir Path dir) throws Exception {
		Path gnupg = dir.resolve("gnupg");
		String fingerprint = LoopbackBackupEnvironment.makeKey(gnupg);
		Path target = dir.resolve("target");
		Files.createDirectories(target.resolve("reporting-daily"));
		BackupSettings settings = settings(target, fingerprint, gnupg, dir);
		// the failing nights: a key that is not in the keyring, so every upload fails at
		// once
		BackupSettings unknownKey = settings(target, "0123456789ABCDEF0123456789ABCDEF01234567", gnupg, dir);
		MutableClock clock = new MutableClock(Instant.EPOCH);
		JdbcTemplate records = records();
		Staging staging = new Staging(settings);
		TierSteps good = service(settings, clock, records);
		TierSteps failing = service(unknownKey, clock, records);

		for (int night = 1; night <= 13; night++) {
			LocalDate date = FIRST.plusDays(night - 1);
			clock.set(date.atTime(LocalTime.of(1, 30)).atZone(MELBOURNE).toInstant());
			boolean failingNight = night >= 6 && night <= 11;
			String runId = "night-" + night;
			Path dump = staging.dumpFolder(runId);
			Files.createDirectories(dump);
			Files.writeString(dump.resolve(Staging.DUMP_FILE), "the dump of night " + night);
			try {
				for (Tier tier : Tier.tiersFor(date, settings)) {
					// on the failing nights only the daily tier fails; the weekly one
					// goes on
					TierSteps backup = (failingNight && tier == Tier.DAILY) ? failing : good;
					try {
						Instant set = backup.upload(runId, tier.label(), clock.instant());
						backup.verify(runId, tier.label(), set);
						backup.applyRetention(runId, tier.label(), set);
					}
					catch (StepFailedException failed) {
						assertThat(backup).as("night %d, %s: %s", night, tier, failed.getMessage()).isSameAs(failing);
						backup.cleanUpTier(runId, tier.label());
					}
				}
			}
			finally {
				Staging.deleteTree(staging.runFolder(runId));
			}
			expect(target, "daily", DAILY, night);
			expect(target, "weekly", WEEKLY, night);
		}
	}

	static BackupSettings settings(Path target, String keyId, Path gnupg, Path dir) {
		return new BackupSettings(true, "0 30 1 * * *", MELBOURNE, "file://" + target.resolve("reporting"), keyId,
				Secret.of(LoopbackBackupEnvironment.GPG_PASSPHRASE), 3, 1, 12, DayOfWeek.SUNDAY, 28, 2,
				dir.resolve("staging"), null, gnupg, dir.resolve("cache"), Duration.ofMinutes(2), "R1/PT1S", 2, false,
				Duration.ofSeconds(1), 1, "512MB");
	}

	static TierSteps service(BackupSettings settings, Clock clock, JdbcTemplate records) {
		CommandRunner runner = new CommandRunner(new SecretGuard(List.of(settings.gpgPassphrase())));
		return new TierSteps(settings, runner, new BackupTargets(settings, runner), new Staging(settings),
				new BackupRecords(records),
				new StaticListableBeanFactory(Map.of("clock", clock)).getBeanProvider(Clock.class));
	}

	private static void expect(Path target, String tier, Map<Integer, List<Integer>> table, int night)
			throws Exception {
		List<Integer> expected = null;
		for (Map.Entry<Integer, List<Integer>> row : table.entrySet()) {
			if (row.getKey() <= night) {
				expected = row.getValue();
			}
		}
		List<Integer> nights = new ArrayList<>();
		Path folder = target.resolve("reporting-" + tier);
		if (Files.isDirectory(folder)) {
			try (Stream<Path> files = Files.list(folder)) {
				for (String name : files.map((path) -> path.getFileName().toString()).sorted().toList()) {
					if (name.startsWith("duplicity-full.") && name.endsWith(".manifest.gpg")) {
						Instant time = java.time.LocalDateTime
							.parse(name.substring(15, 31), DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"))
							.toInstant(ZoneOffset.UTC);
						nights.add(time.atZone(MELBOURNE).getDayOfMonth());
					}
				}
			}
		}
		assertThat(nights).as("%s sets after night %d", tier, night)
			.isEqualTo((expected != null) ? expected : List.of());
	}

	static JdbcTemplate records() throws Exception {
		DriverManagerDataSource source = new DriverManagerDataSource(
				"jdbc:h2:mem:retention-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
		try (var connection = source.getConnection()) {
			ScriptUtils.executeSqlScript(connection, new ClassPathResource("schema.sql"));
		}
		return new JdbcTemplate(source);
	}

	private static Map<Integer, List<Integer>> table(Object... rows) {
		Map<Integer, List<Integer>> table = new LinkedHashMap<>();
		for (int i = 0; i < rows.length; i += 2) {
			@SuppressWarnings("unchecked")
			List<Integer> nights = (List<Integer>) rows[i + 1];
			table.put((Integer) rows[i], nights);
		}
		return table;
	}

}
