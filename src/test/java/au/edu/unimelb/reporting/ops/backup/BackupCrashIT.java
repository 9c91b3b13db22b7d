package au.edu.unimelb.reporting.ops.backup;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import au.edu.unimelb.reporting.ops.support.LoopbackBackupEnvironment;
import au.edu.unimelb.reporting.ops.support.LoopbackSshd;
import au.edu.unimelb.reporting.ops.support.ProcessArgvWatch;
import au.edu.unimelb.reporting.ops.support.ServiceProcess;
import au.edu.unimelb.reporting.ops.support.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service killed with {@code kill -9} while duplicity uploads tonight's daily set,
 * then started again: the upload step runs again once its job lock has expired, finds
 * what the killed run left (a complete set, or a partial one it cleans up), and the night
 * ends with exactly one set per tier, the lock released, and QA restored.
 */
class BackupCrashIT {

	@Test
	void aServiceKilledDuringTheUploadFinishesTheNightWithOneSetPerTier(@TempDir Path dir) throws Exception {
		try (LoopbackBackupEnvironment env = LoopbackBackupEnvironment.create(dir.resolve("env"))) {
			Path target = dir.resolve("target");
			Files.createDirectories(target);
			Map<String, String> settings = shortLockSettings(env, target);
			Path log = dir.resolve("service.log");
			int port = LoopbackSshd.freePort();
			String backup;
			Instant killedAt;
			try (ProcessArgvWatch watch = new ProcessArgvWatch(env.secrets())) {
				try (ServiceProcess first = ServiceProcess.start(dir, settings, port, log)) {
					backup = start(first, "nightly-backup");
					awaitProcess("duplicity", "full", "reporting-daily");
					first.kill();
					killedAt = Instant.now();
				}
				try (ServiceProcess second = ServiceProcess.start(dir, settings, port, log)) {
					String run = awaitOutcome(second, backup, Duration.ofMinutes(4));
					Duration resumedAfter = Duration.between(killedAt, Instant.now());
					assertThat(run).as("the night after the restart: %s", run).contains("\"outcome\":\"BACKED_UP\"");
					System.out.println("Backup resumed and ended " + resumedAfter.toSeconds()
							+ " s after kill -9 (job lock time 35 s)");
					String restore = awaitRestoreOf(second, backup, Duration.ofMinutes(2));
					assertThat(restore).contains("\"outcome\":\"RESTORED\"");
					HttpResponse<String> again = second.client()
						.postJson("/engine-rest/process-definition/key/qa-restore/start", "{}", "admin",
								LoopbackBackupEnvironment.ADMIN_PASSWORD);
					assertThat(again.statusCode()).as("the lock was released: %s", again.body()).isEqualTo(200);
					awaitRestoreCount(second, 2, Duration.ofMinutes(2));
				}
				assertThat(watch.leaks()).as("argv holding a secret").isEmpty();
			}
			assertOneSetPerTierAndQaRestored(env, target, dir.resolve("service.log"));
		}
	}

	@Test
	void whenTheNodeRunningTheUploadIsKilledTheOtherNodeFinishesTheNight(@TempDir Path dir) throws Exception {
		TestPostgres engine = TestPostgres.createDatabase("crash");
		try (LoopbackBackupEnvironment env = LoopbackBackupEnvironment.create(dir.resolve("env"))) {
			Path target = dir.resolve("target");
			Files.createDirectories(target);
			Map<String, String> settings = shortLockSettings(env, target);
			// two nodes on one database; the staging folder is shared, as the README asks
			settings.put("spring.datasource.url", engine.jdbcUrl());
			settings.put("spring.datasource.username", engine.user());
			settings.put("spring.datasource.password", engine.password());
			Path log = dir.resolve("service.log");
			try (ProcessArgvWatch watch = new ProcessArgvWatch(env.secrets());
					ServiceProcess one = ServiceProcess.start(dir, settings, LoopbackSshd.freePort(), log);
					ServiceProcess two = ServiceProcess.start(dir, settings, LoopbackSshd.freePort(), log)) {
				String backup = start(one, "nightly-backup");
				ProcessHandle upload = awaitProcess("duplicity", "full", "reporting-daily");
				// duplicity is a child of the node whose job runs the upload
				long node = upload.parent().map(ProcessHandle::pid).orElse(-1L);
				ServiceProcess victim = (node == two.pid()) ? two : one;
				ServiceProcess survivor = (victim == one) ? two : one;
				victim.kill();
				Instant killedAt = Instant.now();
				String run = awaitOutcome(survivor, backup, Duration.ofMinutes(4));
				assertThat(run).as("the night on the other node: %s", run).contains("\"outcome\":\"BACKED_UP\"");
				System.out.println(
						"The other node finished the backup " + Duration.between(killedAt, Instant.now()).toSeconds()
								+ " s after kill -9 of node " + victim.pid() + " (job lock time 35 s)");
				assertThat(awaitRestoreOf(survivor, backup, Duration.ofMinutes(2)))
					.contains("\"outcome\":\"RESTORED\"");
				assertThat(watch.leaks()).as("argv holding a secret").isEmpty();
			}
			assertOneSetPerTierAndQaRestored(env, target, dir.resolve("service.log"));
		}
		finally {
			engine.drop();
		}
	}

	/**
	 * The environment's settings with the shortest job lock the service accepts for these
	 * timeouts: a resumption after kill -9 waits for it.
	 */
	private static Map<String, String> shortLockSettings(LoopbackBackupEnvironment env, Path target) {
		Map<String, String> settings = env.settings("file://" + target.resolve("reporting"), null);
		settings.put("ops.backup.command-timeout", "PT20S");
		settings.put("ops.qa-restore.timeout-seconds", "15");
		settings.put("camunda.bpm.job-execution.lock-time-in-millis", "35000");
		return settings;
	}

	/**
	 * Exactly one complete set per tier and nothing else there; QA is Prod's copy; no
	 * secret logged.
	 */
	private static void assertOneSetPerTierAndQaRestored(LoopbackBackupEnvironment env, Path target, Path log)
			throws Exception {
		for (String tier : List.of("daily", "weekly")) {
			Path folder = target.resolve("reporting-" + tier);
			try (Stream<Path> files = Files.list(folder)) {
				List<String> names = files.map((path) -> path.getFileName().toString()).sorted().toList();
				assertThat(names).filteredOn((name) -> name.endsWith(".manifest.gpg"))
					.as("%s: exactly one set", tier)
					.hasSize(1);
				String time = names.stream()
					.filter((name) -> name.endsWith(".manifest.gpg"))
					.findFirst()
					.orElseThrow()
					.replaceAll("duplicity-full\\.(.*)\\.manifest\\.gpg", "$1");
				assertThat(names).as("%s: nothing but that set", tier).allMatch((name) -> name.contains(time));
			}
		}
		assertThat(LoopbackBackupEnvironment.rowCounts(env.qa().name()))
			.isEqualTo(LoopbackBackupEnvironment.rowCounts(env.prod().name()));
		assertThat(TestPostgres.databasesStartingWith(env.qa().name())).containsExactly(env.qa().name());
		String output = Files.readString(log);
		System.out.println("After the restart the daily upload "
				+ (output.contains("already holds this run's set") ? "found the set the killed run had finished"
						: "cleaned up the killed run's partial set and uploaded again"));
		assertThat(env.secrets()).allSatisfy((secret) -> assertThat(output).doesNotContain(secret));
	}

	private static String start(ServiceProcess service, String key) {
		HttpResponse<String> started = service.client()
			.postJson("/engine-rest/process-definition/key/" + key + "/start", "{}", "admin",
					LoopbackBackupEnvironment.ADMIN_PASSWORD);
		assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
		return started.body().replaceAll("(?s).*\"id\":\"([^\"]+)\".*", "$1");
	}

	private static String awaitOutcome(ServiceProcess service, String id, Duration limit) throws Exception {
		Instant deadline = Instant.now().plus(limit);
		String body = "";
		while (Instant.now().isBefore(deadline)) {
			body = service.client().get("/api/backups/" + id, "admin", LoopbackBackupEnvironment.ADMIN_PASSWORD).body();
			if (body.contains("\"endedAt\":\"")) {
				return body;
			}
			Thread.sleep(500);
		}
		throw new AssertionError(id + " did not end within " + limit + ": " + body);
	}

	private static String awaitRestoreOf(ServiceProcess service, String backup, Duration limit) throws Exception {
		Instant deadline = Instant.now().plus(limit);
		String body = "";
		while (Instant.now().isBefore(deadline)) {
			body = service.client()
				.get("/api/backups?kind=RESTORE&limit=5", "admin", LoopbackBackupEnvironment.ADMIN_PASSWORD)
				.body();
			if (body.contains("\"backupRun\":\"" + backup + "\"") && body.contains("\"endedAt\":\"")) {
				return body;
			}
			Thread.sleep(500);
		}
		throw new AssertionError("No ended restore of " + backup + " within " + limit + ": " + body);
	}

	private static void awaitRestoreCount(ServiceProcess service, int count, Duration limit) throws Exception {
		Instant deadline = Instant.now().plus(limit);
		String body = "";
		while (Instant.now().isBefore(deadline)) {
			body = service.client()
				.get("/api/backups?kind=RESTORE&limit=5", "admin", LoopbackBackupEnvironment.ADMIN_PASSWORD)
				.body();
			if (body.split("\"outcome\":\"RESTORED\"", -1).length - 1 >= count) {
				return;
			}
			Thread.sleep(500);
		}
		throw new AssertionError("Fewer than " + count + " restores within " + limit + ": " + body);
	}

	private static ProcessHandle awaitProcess(String... words) throws InterruptedException {
		Instant deadline = Instant.now().plusSeconds(60);
		while (Instant.now().isBefore(deadline)) {
			java.util.Optional<ProcessHandle> running = ProcessHandle.allProcesses()
				.filter((process) -> Stream.of(words).allMatch(process.info().commandLine().orElse("")::contains))
				.findFirst();
			if (running.isPresent()) {
				return running.get();
			}
			Thread.sleep(5);
		}
		throw new AssertionError("No process with " + List.of(words) + " within 60 s");
	}

}
