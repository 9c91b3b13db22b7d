package au.edu.unimelb.reporting.ops.backup;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import au.edu.unimelb.reporting.ops.nightly.BackupRecords;
import au.edu.unimelb.reporting.ops.nightly.BackupRecords.BackupRun;
import au.edu.unimelb.reporting.ops.nightly.BackupRecords.BackupSetRecord;
import au.edu.unimelb.reporting.ops.support.LoopbackBackupEnvironment;
import au.edu.unimelb.reporting.ops.support.ProcessArgvWatch;
import au.edu.unimelb.reporting.ops.support.RunningService;
import au.edu.unimelb.reporting.ops.support.SecretScan;
import au.edu.unimelb.reporting.ops.support.ServiceClient;
import au.edu.unimelb.reporting.ops.support.TestBed;
import au.edu.unimelb.reporting.ops.support.ThreadDumpOnTimeout;
import org.awaitility.Awaitility;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A nightly backup and its QA restore against a real OpenStack Swift, as in production
 * (the loopback test bed's Swift with tempauth): every tier's set lands in its own
 * container, verifies, and restores into QA; the Swift key is never in an argv or the
 * engine's tables.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@ExtendWith(ThreadDumpOnTimeout.class)
class BackupToSwiftIT {

	@Test
	void backsUpToSwiftAndRestoresQaFromIt(@TempDir Path dir) throws Exception {
		TestBed bed = TestBed.load();
		String prefix = "reporting-it-" + UUID.randomUUID().toString().substring(0, 8);
		try (LoopbackBackupEnvironment env = LoopbackBackupEnvironment.create(dir.resolve("env"))) {
			List<String> secrets = new java.util.ArrayList<>(env.secrets());
			secrets.add(bed.get("SWIFT_PASSWORD"));
			try (RunningService service = RunningService.start(env.settings("swift://" + prefix, bed));
					ProcessArgvWatch watch = new ProcessArgvWatch(secrets)) {
				String backup = ServiceClient.idOf(service.client()
					.postJson("/engine-rest/process-definition/key/nightly-backup/start", "{}", "admin",
							LoopbackBackupEnvironment.ADMIN_PASSWORD));
				String restore = awaitRestoreAfter(service, backup);

				BackupRecords records = service.bean(BackupRecords.class);
				BackupRun run = records.run(backup).orElseThrow();
				assertThat(run.outcome()).as(run.detail()).isEqualTo("BACKED_UP");
				List<BackupSetRecord> sets = records.setsOfRun(backup);
				assertThat(sets).extracting(BackupSetRecord::tier).contains("daily", "weekly");
				assertThat(sets).allSatisfy((set) -> assertThat(set.verified()).isTrue());
				for (BackupSetRecord set : sets) {
					String listing = swift(bed, "list", prefix + "-" + set.tier());
					assertThat(listing).contains("duplicity-full." + duplicityTime(set.setTime()) + ".manifest.gpg")
						.contains(".vol1.difftar.gpg");
				}
				BackupRun restored = records.run(restore).orElseThrow();
				assertThat(restored.outcome()).as(restored.detail()).isEqualTo("RESTORED");
				assertThat(LoopbackBackupEnvironment.rowCounts(env.qa().name()))
					.isEqualTo(LoopbackBackupEnvironment.rowCounts(env.prod().name()));
				assertThat(watch.leaks()).isEmpty();
				try (Connection engine = service.bean(DataSource.class).getConnection()) {
					assertThat(SecretScan.engineTables(engine, secrets)).isEmpty();
				}
			}
			finally {
				for (String tier : List.of("daily", "weekly", "monthly")) {
					try {
						swift(bed, "delete", prefix + "-" + tier);
					}
					catch (IllegalStateException ex) {
						// a tier tonight did not upload to
					}
				}
			}
		}
	}

	private static String awaitRestoreAfter(RunningService service, String backup) {
		HistoryService history = service.bean(HistoryService.class);
		RuntimeService runtime = service.bean(RuntimeService.class);
		List<HistoricProcessInstance> restores = Awaitility.await("a finished qa-restore after backup " + backup)
			.atMost(Duration.ofMinutes(4))
			.pollInterval(Duration.ofMillis(200))
			// a failed night waits as an incident (Task_ReportFailedNight) instead of
			// ending
			.failFast(() -> assertThat(runtime.createIncidentQuery().processInstanceId(backup).list())
				.as("backup failed: %s", service.bean(BackupRecords.class).run(backup))
				.isEmpty())
			.until(() -> history.createHistoricProcessInstanceQuery()
				.processDefinitionKey("qa-restore")
				.variableValueEquals("backupRun", backup)
				.finished()
				.list(), (finished) -> !finished.isEmpty());
		return restores.get(0).getId();
	}

	private static String duplicityTime(Instant time) {
		return java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
			.withZone(java.time.ZoneOffset.UTC)
			.format(time);
	}

	private static String swift(TestBed bed, String... arguments) throws Exception {
		String[] argv = new String[arguments.length + 1];
		argv[0] = "swift";
		System.arraycopy(arguments, 0, argv, 1, arguments.length);
		return LoopbackBackupEnvironment.run(Map.of("ST_AUTH", bed.get("SWIFT_AUTHURL"), "ST_USER",
				bed.get("SWIFT_USERNAME"), "ST_KEY", bed.get("SWIFT_PASSWORD")), argv);
	}

}
