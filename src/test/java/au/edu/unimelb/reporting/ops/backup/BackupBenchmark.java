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
 * and the QA restore after it; then, in the same run and on the same database, the old
 * scripts' way ({@link OldScriptsWay}). Prints the two side by side with their ratios,
 * ending with one machine-readable line per figure ({@code ratio night-daily 0.NN},
 * {@code ratio night-three-tiers 0.NN}, {@code ratio qa-copy 0.NN},
 * {@code swap-unavailable-s N.NN}); asserts nothing about times. Run by
 * {@code scripts/bench-backup.sh}.
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
			Night all;
			double swapUnavailable;
			try (QaAvailability qa = new QaAvailability(env.qa().name())) {
				all = night(env, dir, target, today.getDayOfWeek(), Math.min(today.getDayOfMonth(), 28), true);
				swapUnavailable = qa.stop();
			}
			Old old = oldWay(env, dir.resolve("old"));

			double oldDaily = old.dump + old.uploads.get(0);
			double oldThree = old.dump + old.uploads.stream().mapToDouble(Double::doubleValue).sum();
			double oldQa = old.fetch + old.createdb + old.restore + old.swap;
			StringBuilder report = new StringBuilder("backup benchmark:\n");
			report.append(String.format(
					"  Prod database: %d MB on disk (seeded in %.0f s); this service's dump: %d MB; "
							+ "the old way's (pg_dump -Fc): %d MB%n",
					databaseBytes >> 20, seedSeconds, daily.run.dumpBytes() >> 20, old.dumpBytes >> 20));
			report.append(
					String.format("  %-34s | %-44s | %-58s | %s%n", "", "old scripts' way", "this service", "ratio"));
			report.append(String.format("  %-34s | %-44s | %-58s | %.2f%n", "night, daily tier only",
					String.format("%.1f s (dump %.1f + upload %.1f)", oldDaily, old.dump, old.uploads.get(0)),
					String.format("%.1f s (dump+encrypt %.1f + tier %.1f, incl. verify)", daily.total, daily.dump,
							daily.tiers),
					daily.total / oldDaily));
			report.append(String.format("  %-34s | %-44s | %-58s | %.2f%n", "night, daily + weekly + monthly",
					String.format("%.1f s (dump %.1f + uploads %s)", oldThree, old.dump, rounded(old.uploads)),
					String.format("%.1f s (dump+encrypt %.1f + tiers %.1f; copies %s)", all.total, all.dump, all.tiers,
							rounded(all.uploads)),
					all.total / oldThree));
			report.append(
					String.format("  %-34s | %-44s | %-58s | %.2f%n", "one upload of the dump",
							String.format("%.1f s", old.uploads.get(0)), String
								.format("%.1f s (a copy; the one encryption is in dump+encrypt)", daily.uploads.get(0)),
							daily.uploads.get(0) / old.uploads.get(0)));
			report.append(String.format("  %-34s | %-44s | %-58s | %.2f%n", "QA copy of Prod",
					String.format("%.1f s (fetch %.1f, createdb %.1f, pg_restore %.1f, swap %.1f)", oldQa, old.fetch,
							old.createdb, old.restore, old.swap),
					String.format("%.1f s (fetch %.1f, pg_restore -j %.1f, compare %.1f, swap %.1f, migrate %.1f)",
							all.restoreTotal, all.restoreSteps.get(0), all.restoreSteps.get(1), all.restoreSteps.get(2),
							all.restoreSteps.get(3), all.restoreSteps.get(4)),
					all.restoreTotal / oldQa));
			report.append(String.format("  %-34s | %-44s | %-58s |%n", "QA unavailable during the swap",
					String.format("%.2f s (dropdb, then rename)", old.unavailable),
					String.format("%.2f s", swapUnavailable)));
			report.append(String.format("ratio night-daily %.2f%n", daily.total / oldDaily));
			report.append(String.format("ratio night-three-tiers %.2f%n", all.total / oldThree));
			report.append(String.format("ratio qa-copy %.2f%n", all.restoreTotal / oldQa));
			report.append(String.format("swap-unavailable-s %.2f%n", swapUnavailable));
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
		// settings to measure against their defaults
		for (String setting : List.of("dump-compression", "restore-jobs", "restore-maintenance-work-mem")) {
			String value = System.getProperty("bench." + setting);
			if (value != null) {
				settings.put("ops.backup." + setting, value);
			}
		}
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

	/**
	 * The old scripts' way on the same database, after the service's nights: one dump,
	 * the three uploads one after another (a night with the daily tier only is the dump
	 * and the first), then the QA copy from the daily tier, with a client watching QA
	 * during the drop and rename.
	 */
	private static Old oldWay(LoopbackBackupEnvironment env, Path dir) throws Exception {
		Old old = new Old();
		try (OldScriptsWay way = new OldScriptsWay(env, dir)) {
			old.dump = way.dump();
			old.dumpBytes = Files.size(dir.resolve("dump/dump.custom"));
			old.uploads = List.of(way.upload("daily"), way.upload("weekly"), way.upload("monthly"));
			old.fetch = way.fetch();
			String copy = env.qa().name() + "_old_way";
			old.createdb = way.createdb(copy);
			old.restore = way.restore(copy);
			try (QaAvailability qa = new QaAvailability(env.qa().name())) {
				// let the watcher see QA first
				Thread.sleep(200);
				old.swap = way.swap(env.qa().name(), copy);
				Thread.sleep(200);
				old.unavailable = qa.stop();
			}
		}
		return old;
	}

	private static String rounded(List<Double> seconds) {
		return seconds.stream().map((s) -> String.format("%.1f", s)).toList().toString();
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

	static final class Old {

		double dump;

		long dumpBytes;

		List<Double> uploads;

		double fetch;

		double createdb;

		double restore;

		double swap;

		double unavailable;

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
