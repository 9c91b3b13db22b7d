package au.edu.unimelb.reporting.ops.backup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import au.edu.unimelb.reporting.ops.nightly.BackupRecords;
import au.edu.unimelb.reporting.ops.nightly.BackupRecords.BackupRun;
import au.edu.unimelb.reporting.ops.nightly.BackupRecords.BackupSetRecord;
import au.edu.unimelb.reporting.ops.support.LoopbackBackupEnvironment;
import au.edu.unimelb.reporting.ops.support.RunningService;
import au.edu.unimelb.reporting.ops.support.ServiceClient;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.history.HistoricActivityInstance;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Benchmark of the nightly backup and the QA restore on a Prod database of about
 * {@code bench.sizeMb} MB (default 1024), to a {@code file://} target: a night that
 * uploads to the daily tier only, and a night that uploads to all three tiers at once,
 * against the three uploads done one after another. Prints a report; asserts nothing
 * about times. Run by {@code scripts/bench-backup.sh}.
 */
class BackupBenchmark {

	@Test
	void measure(@TempDir Path dir) throws Exception {
		int sizeMb = Integer.getInteger("bench.sizeMb", 1024);
		try (LoopbackBackupEnvironment env = LoopbackBackupEnvironment.create(dir.resolve("env"))) {
			long seedStarted = System.nanoTime();
			seed(env, sizeMb);
			double seedSeconds = seconds(System.nanoTime() - seedStarted);
			long databaseBytes;
			try (Connection connection = env.prod().connect();
					Statement sql = connection.createStatement();
					var rs = sql.executeQuery("SELECT pg_database_size(current_database())")) {
				rs.next();
				databaseBytes = rs.getLong(1);
			}
			Path target = dir.resolve("target");
			Files.createDirectories(target);
			LocalDate today = LocalDate.now(ZoneId.of(LoopbackBackupEnvironment.ZONE));
			Night daily = night(env, dir, target, today.getDayOfWeek().plus(1), today.getDayOfMonth() == 1 ? 2 : 1,
					false);
			Night all = night(env, dir, target, today.getDayOfWeek(), Math.min(today.getDayOfMonth(), 28), true);

			StringBuilder report = new StringBuilder("backup benchmark:\n");
			report
				.append(String.format("  Prod database: %d MB on disk (seeded in %.0f s); custom-format dump: %d MB%n",
						databaseBytes >> 20, seedSeconds, daily.run.dumpBytes() >> 20));
			report.append(String.format(
					"  night with the daily tier only: total %.1f s = dump %.1f s + tier %.1f s "
							+ "(upload %.1f s, verify and retention the rest) + finish%n",
					daily.total, daily.dump, daily.tiers, daily.uploads.get(0)));
			report.append(String.format("  night with daily+weekly+monthly: total %.1f s = dump %.1f s + tiers %.1f s "
					+ "(in parallel; uploads %s s)%n", all.total, all.dump, all.tiers, all.uploads));
			report.append(String.format(
					"  tier phase with three tiers: %.1f s = %.2fx the daily-only one; the three "
							+ "done one after another would take about %.1f s (3 x %.1f s)%n",
					all.tiers, all.tiers / daily.tiers, 3 * daily.tiers, daily.tiers));
			report.append(String.format(
					"  night with three tiers: %.1f s = %.2fx the daily-only night (in series: about " + "%.1f s)%n",
					all.total, all.total / daily.total, daily.total + 2 * daily.tiers));
			report.append(String.format(
					"  QA restore after it: total %.1f s (fetch %.1f s, pg_restore -j2 %.1f s, "
							+ "compare %.1f s, swap %.1f s, migrate %.1f s)%n",
					all.restoreTotal, all.restoreSteps.get(0), all.restoreSteps.get(1), all.restoreSteps.get(2),
					all.restoreSteps.get(3), all.restoreSteps.get(4)));
			System.out.println(report);
		}
	}

	private Night night(LoopbackBackupEnvironment env, Path dir, Path target, DayOfWeek weeklyOn, int monthlyOn,
			boolean restore) throws Exception {
		Map<String, String> settings = env.settings("file://" + target.resolve("reporting"), null);
		settings.put("ops.backup.weekly-on", weeklyOn.name().toLowerCase());
		settings.put("ops.backup.monthly-on", Integer.toString(monthlyOn));
		settings.put("ops.backup.command-timeout", "PT30M");
		settings.put("ops.backup.qa-restore-after", Boolean.toString(restore));
		try (RunningService service = RunningService.start(settings)) {
			String id = ServiceClient.idOf(service.client()
				.postJson("/engine-rest/process-definition/key/nightly-backup/start", "{}", "admin",
						LoopbackBackupEnvironment.ADMIN_PASSWORD));
			HistoryService history = service.bean(HistoryService.class);
			HistoricProcessInstance instance = awaitEnd(history, id);
			Night night = new Night();
			night.run = service.bean(BackupRecords.class).run(id).orElseThrow();
			night.total = seconds(instance.getDurationInMillis() * 1_000_000);
			night.dump = activity(history, id, "Task_DumpDatabase");
			night.tiers = activity(history, id, "SubProcess_Tier#multiInstanceBody");
			night.uploads = service.bean(BackupRecords.class)
				.setsOfRun(id)
				.stream()
				.map(BackupSetRecord::durationMillis)
				.map((millis) -> millis / 1000.0)
				.toList();
			if (restore) {
				List<HistoricProcessInstance> restores = List.of();
				while (restores.isEmpty()) {
					Thread.sleep(500);
					restores = history.createHistoricProcessInstanceQuery()
						.processDefinitionKey("qa-restore")
						.variableValueEquals("backupRun", id)
						.finished()
						.list();
				}
				String restoreId = restores.get(0).getId();
				night.restoreTotal = seconds(restores.get(0).getDurationInMillis() * 1_000_000);
				night.restoreSteps = List.of(activity(history, restoreId, "Task_FetchBackup"),
						activity(history, restoreId, "Task_RestoreIntoTemp"),
						activity(history, restoreId, "Task_CompareWithBackup"),
						activity(history, restoreId, "Task_SwapIntoQa"),
						activity(history, restoreId, "Task_MigrateQa"));
			}
			return night;
		}
	}

	private static HistoricProcessInstance awaitEnd(HistoryService history, String id) throws InterruptedException {
		while (true) {
			HistoricProcessInstance instance = history.createHistoricProcessInstanceQuery()
				.processInstanceId(id)
				.singleResult();
			if (instance.getEndTime() != null) {
				return instance;
			}
			Thread.sleep(500);
		}
	}

	private static double activity(HistoryService history, String processInstanceId, String activityId) {
		return history.createHistoricActivityInstanceQuery()
			.processInstanceId(processInstanceId)
			.activityId(activityId)
			.list()
			.stream()
			.map(HistoricActivityInstance::getDurationInMillis)
			.filter((millis) -> millis != null)
			.mapToLong(Long::longValue)
			.max()
			.orElse(0) / 1000.0;
	}

	private static void seed(LoopbackBackupEnvironment env, int sizeMb) throws Exception {
		// ~200 bytes on disk per row: random hex text, which pg_dump compresses to about
		// half
		long rows = sizeMb * 1024L * 1024L / 200;
		try (Connection connection = env.prod().connect(); Statement sql = connection.createStatement()) {
			sql.execute("CREATE TABLE events (id bigint PRIMARY KEY, payload text)");
			sql.execute("INSERT INTO events SELECT i, md5(random()::text) || md5(random()::text) || "
					+ "md5(random()::text) || md5(random()::text) FROM generate_series(1, " + rows + ") i");
		}
	}

	private static double seconds(long nanos) {
		return nanos / 1e9;
	}

	static final class Night {

		BackupRun run;

		double total;

		double dump;

		double tiers;

		List<Double> uploads;

		double restoreTotal;

		List<Double> restoreSteps;

	}

}
