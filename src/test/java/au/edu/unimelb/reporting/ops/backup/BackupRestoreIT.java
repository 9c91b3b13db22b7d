package au.edu.unimelb.reporting.ops.backup;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.sql.DataSource;

import au.edu.unimelb.reporting.ops.lock.Locks;
import au.edu.unimelb.reporting.ops.nightly.BackupRecords;
import au.edu.unimelb.reporting.ops.nightly.BackupRecords.BackupRun;
import au.edu.unimelb.reporting.ops.nightly.BackupRecords.BackupSetRecord;
import au.edu.unimelb.reporting.ops.support.LoopbackBackupEnvironment;
import au.edu.unimelb.reporting.ops.support.OwnThreads;
import au.edu.unimelb.reporting.ops.support.ProcessArgvWatch;
import au.edu.unimelb.reporting.ops.support.RunningService;
import au.edu.unimelb.reporting.ops.support.SecretScan;
import au.edu.unimelb.reporting.ops.support.ServiceClient;
import au.edu.unimelb.reporting.ops.support.TestPostgres;
import au.edu.unimelb.reporting.ops.support.ThreadDumpOnTimeout;
import org.awaitility.Awaitility;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The nightly backup and the QA restore on the running service, against the real
 * programs: PostgreSQL, pg_dump/pg_restore, duplicity and GnuPG to a {@code file://}
 * target, and an sshd as the QA app server. First a whole run (every tier, restore,
 * migrations, secrets nowhere), then each fault, each time checking that nothing was
 * lost: the older sets of every tier are all still there, and QA holds what it held.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
@ExtendWith(OutputCaptureExtension.class)
@Timeout(value = 8, unit = TimeUnit.MINUTES)
@ExtendWith(ThreadDumpOnTimeout.class)
class BackupRestoreIT {

	static final Duration RUN_LIMIT = Duration.ofMinutes(3);

	Path dir;

	LoopbackBackupEnvironment env;

	RunningService service;

	Path target;

	@BeforeAll
	void start(@TempDir Path dir) throws Exception {
		this.dir = dir;
		this.env = LoopbackBackupEnvironment.create(this.dir.resolve("env"));
		this.target = this.dir.resolve("target");
		Files.createDirectories(this.target);
		Map<String, String> settings = this.env.settings("file://" + this.target.resolve("reporting"), null);
		// three tries, 5 s apart: time for a test to mend a target between them
		settings.put("ops.backup.retry-cycle", "R3/PT5S");
		this.service = RunningService.start(settings);
	}

	/**
	 * A test that failed half-way must not fail the next ones: its runs still going are
	 * cancelled (their end listener releases the lock and deletes their staging), and a
	 * lock left behind anyway is released.
	 */
	@AfterEach
	void cancelWhatATestLeftRunning() {
		if (this.service == null) {
			return;
		}
		RuntimeService runtime = this.service.bean(RuntimeService.class);
		for (String key : List.of("qa-restore", "nightly-backup")) {
			for (ProcessInstance left : runtime.createProcessInstanceQuery().processDefinitionKey(key).list()) {
				runtime.deleteProcessInstance(left.getId(), "left running by a test that failed");
			}
		}
		Locks locks = this.service.bean(Locks.class);
		String lock = backupLock();
		locks.holder(lock).ifPresent((holder) -> locks.release(lock, holder));
	}

	@AfterAll
	void stop() throws Exception {
		if (this.service != null) {
			this.service.close();
		}
		this.env.close();
	}

	@Test
	@Order(1)
	void backsUpEveryTierRestoresQaRunsMigrationsAndKeepsSecretsOut(CapturedOutput output) throws Exception {
		String backup;
		String restore;
		Set<String> programs;
		try (ProcessArgvWatch watch = new ProcessArgvWatch(this.env.secrets())) {
			backup = startBackup();
			awaitEnd(backup);
			restore = restoreStartedBy(backup);
			awaitEnd(restore);
			assertThat(watch.leaks()).as("argv holding a secret").isEmpty();
			programs = watch.seen();
		}
		assertThat(programs).contains("pg_dump", "pg_restore", "duplicity full", "duplicity verify",
				"duplicity collection-status", "duplicity restore");

		BackupRun run = records().run(backup).orElseThrow();
		assertThat(run.outcome()).as(run.detail()).isEqualTo("BACKED_UP");
		assertThat(run.dumpBytes()).isPositive();
		List<BackupSetRecord> sets = records().setsOfRun(backup);
		assertThat(sets).extracting(BackupSetRecord::tier).containsAll(List.of("daily", "weekly"));
		assertThat(sets).allSatisfy((set) -> assertThat(set.verified()).isTrue());
		for (BackupSetRecord set : sets) {
			assertThat(fullSets(set.tier())).containsExactly(set.setTime());
		}

		BackupRun restored = records().run(restore).orElseThrow();
		assertThat(restored.outcome()).as(restored.detail()).isEqualTo("RESTORED");
		assertThat(restored.backupRun()).isEqualTo(backup);
		assertThat(restored.backupTime()).isEqualTo(setOf(sets, "daily").setTime());
		assertThat(LoopbackBackupEnvironment.rowCounts(this.env.qa().name()))
			.isEqualTo(LoopbackBackupEnvironment.rowCounts(this.env.prod().name()))
			.containsEntry("sales.orders", 20000L)
			.doesNotContainKey("public.qa_only_before_restore");
		assertThat(this.env.migrations()).containsExactly("migrated orders=20000");
		assertNothingLeftOver();

		try (Connection engine = this.service.bean(DataSource.class).getConnection()) {
			assertThat(SecretScan.engineTables(engine, this.env.secrets())).isEmpty();
		}
		assertThat(this.env.secrets()).allSatisfy((secret) -> assertThat(output.getAll()).doesNotContain(secret));
		// the metrics read the records every 10 s
		Awaitility.await("the daily tier's age in the metrics")
			.atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.service.client()
				.get("/actuator/prometheus", "admin", LoopbackBackupEnvironment.ADMIN_PASSWORD)
				.body())
				.containsPattern("reporting_backup_last_verified_age_seconds\\{[^}]*tier=\"daily\"[^}]*} [0-9.]+"));
	}

	@Test
	@Order(2)
	void aFailingPgDumpFailsTheRunAndTouchesNoTier() throws Exception {
		Map<String, Set<String>> before = targetFiles();
		// a table the backup's role may not read: pg_dump stops with "permission denied"
		asSuperuser(this.env.prod(), "CREATE TABLE locked_out (id int)");
		try {
			String backup = startBackup();
			Incident incident = awaitFailedNight(backup);
			assertThat(incident.getIncidentMessage()).contains("ended FAILED: pg_dump of " + this.env.prod().name());
			BackupRun run = records().run(backup).orElseThrow();
			assertThat(run.outcome()).isEqualTo("FAILED");
			assertThat(run.detail()).contains("pg_dump of " + this.env.prod().name() + " failed")
				.contains("permission denied");
			assertThat(restoreOf(backup)).isNull();
			assertThat(failedTries(backup, "Task_DumpDatabase")).as("tried three times").isEqualTo(2);
			assertThat(targetFiles()).isEqualTo(before);
			assertNothingLeftOver();
			acknowledge(backup);
		}
		finally {
			asSuperuser(this.env.prod(), "DROP TABLE locked_out");
		}
	}

	@Test
	@Order(4)
	void anUnwritableTargetFailsThatTierOnlyAndKeepsItsOlderSets() throws Exception {
		Path weekly = this.target.resolve("reporting-weekly");
		Set<String> weeklyBefore = targetFiles().get("weekly");
		mount("--bind", weekly.toString(), weekly.toString());
		String backup;
		try {
			mount("-o", "remount,ro,bind", weekly.toString());
			backup = startBackup();
			awaitIncident(backup);
		}
		finally {
			LoopbackBackupEnvironment.run(Map.of(), "umount", weekly.toString());
		}
		BackupRun run = records().run(backup).orElseThrow();
		assertThat(run.outcome()).isEqualTo("INCOMPLETE");
		assertThat(run.detail()).contains("weekly failed");
		assertThat(targetFiles().get("weekly")).isEqualTo(weeklyBefore);
		assertThat(records().setsOfRun(backup)).filteredOn((set) -> set.tier().equals("daily"))
			.singleElement()
			.satisfies((set) -> assertThat(set.verified()).isTrue());
		String restore = restoreStartedBy(backup);
		awaitEnd(restore);
		assertThat(records().run(restore).orElseThrow().outcome()).isEqualTo("RESTORED");
		// the failed night waits for an operator, holding nothing: another backup may run
		assertNothingLeftOver();
		String next = startBackup();
		awaitEnd(next);
		awaitEnd(restoreStartedBy(next));
		assertThat(records().run(next).orElseThrow().outcome()).isEqualTo("BACKED_UP");
		acknowledge(backup);
		assertNothingLeftOver();
	}

	@Test
	@Order(3)
	void anUploadThatFailsTwiceIsTriedAgainAndTheTierIsKeptTheThirdTime() throws Exception {
		Path daily = this.target.resolve("reporting-daily");
		Set<String> dailyBefore = targetFiles().get("daily");
		mount("--bind", daily.toString(), daily.toString());
		String backup;
		try {
			mount("-o", "remount,ro,bind", daily.toString());
			backup = startBackup();
			awaitFailedTries(backup, "Task_Upload", 2);
		}
		finally {
			// writable again before the third try, 5 s after the second
			LoopbackBackupEnvironment.run(Map.of(), "umount", daily.toString());
		}
		awaitEnd(backup);
		BackupRun run = records().run(backup).orElseThrow();
		assertThat(run.outcome()).as(run.detail()).isEqualTo("BACKED_UP");
		assertThat(failedTries(backup, "Task_Upload")).isEqualTo(2);
		BackupSetRecord set = setOf(records().setsOfRun(backup), "daily");
		assertThat(set.verified()).isTrue();
		assertThat(targetFiles().get("daily")).containsAll(dailyBefore);
		assertThat(fullSets("daily")).contains(set.setTime());
		assertNoPartialSet("daily");
		String restore = restoreStartedBy(backup);
		awaitEnd(restore);
		assertThat(records().run(restore).orElseThrow().outcome()).isEqualTo("RESTORED");
		assertNothingLeftOver();
	}

	@Test
	@Order(5)
	void aDuplicityKilledMidEncryptionIsTriedAgainLeavingNoPartialSetAndKeepingTheOlderOnes() throws Exception {
		Map<String, Set<String>> before = targetFiles();
		// the night's one encryption, into the staging folder, which the tiers copy
		CompletableFuture<Void> killer = CompletableFuture
			.runAsync(() -> killWhenRunning("duplicity", "full", "staged"), OwnThreads.EACH);
		String backup = startBackup();
		awaitEnd(backup);
		// the kill happened (else this tested nothing)
		killer.get(5, TimeUnit.SECONDS);
		// The killed encryption is a failed try of the dump step: the next one starts
		// again from an empty staging folder, and the tiers copy its set.
		BackupRun run = records().run(backup).orElseThrow();
		assertThat(run.outcome()).as(run.detail()).isEqualTo("BACKED_UP");
		assertThat(targetFiles().get("daily")).as("daily: older sets kept").containsAll(before.get("daily"));
		assertThat(fullSets("daily")).as("one set of this run")
			.contains(setOf(records().setsOfRun(backup), "daily").setTime());
		assertNoPartialSet("daily");
		awaitEnd(restoreStartedBy(backup));
		assertNothingLeftOver();
	}

	@Test
	@Order(6)
	void aKeyThatIsNotInTheKeyringFailsTheNightsEncryptionAndTouchesNoTier() throws Exception {
		Map<String, Set<String>> before = targetFiles();
		Map<String, String> gnupg = Map.of("GNUPGHOME", this.env.gnupgHome().toString());
		Path secretKeys = this.dir.resolve("secret-keys.asc");
		LoopbackBackupEnvironment.run(gnupg, "gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase",
				LoopbackBackupEnvironment.GPG_PASSPHRASE, "--output", secretKeys.toString(), "--export-secret-keys",
				this.env.fingerprint());
		LoopbackBackupEnvironment.run(gnupg, "gpg", "--batch", "--yes", "--delete-secret-and-public-key",
				this.env.fingerprint());
		try {
			String backup = startBackup();
			awaitFailedNight(backup);
			BackupRun run = records().run(backup).orElseThrow();
			// the dump is encrypted once, before any tier: no tier is tried
			assertThat(run.outcome()).isEqualTo("FAILED");
			assertThat(run.detail()).contains("Encrypting the dump to GPG key").contains("No public key");
			assertThat(records().setsOfRun(backup)).isEmpty();
			acknowledge(backup);
		}
		finally {
			LoopbackBackupEnvironment.run(gnupg, "gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase",
					LoopbackBackupEnvironment.GPG_PASSPHRASE, "--import", secretKeys.toString());
			LoopbackBackupEnvironment.run(gnupg, "sh", "-c",
					"echo '" + this.env.fingerprint() + ":6:' | gpg --batch --import-ownertrust");
		}
		assertThat(targetFiles()).isEqualTo(before);
		assertNothingLeftOver();
	}

	@Test
	@Order(7)
	void aCorruptSetIsNotRestoredAndQaStaysAsItWas() throws Exception {
		markQa();
		Map<String, Long> qaBefore = LoopbackBackupEnvironment.rowCounts(this.env.qa().name());
		Path volume = newestDailyVolume();
		byte[] good = Files.readAllBytes(volume);
		byte[] bad = good.clone();
		for (int i = bad.length / 3; i < bad.length / 3 + 64; i++) {
			bad[i] ^= 0x5a;
		}
		Files.write(volume, bad);
		try {
			String restore = startProcess("qa-restore");
			awaitEnd(restore);
			BackupRun run = records().run(restore).orElseThrow();
			assertThat(run.outcome()).isEqualTo("FAILED");
			assertThat(run.detail()).contains("duplicity restore");
		}
		finally {
			Files.write(volume, good);
		}
		assertThat(LoopbackBackupEnvironment.rowCounts(this.env.qa().name())).isEqualTo(qaBefore);
		assertNothingLeftOver();
	}

	@Test
	@Order(8)
	void aPgRestoreThatFailsHalfwayDropsTheTemporaryDatabaseAndLeavesQaAlone() throws Exception {
		markQa();
		Map<String, Long> qaBefore = LoopbackBackupEnvironment.rowCounts(this.env.qa().name());
		this.env.breakPaymentsCheck(true);
		try {
			String backup = startBackup();
			awaitEnd(backup);
			assertThat(records().run(backup).orElseThrow().outcome()).isEqualTo("BACKED_UP");
			String restore = restoreStartedBy(backup);
			awaitEnd(restore);
			BackupRun run = records().run(restore).orElseThrow();
			assertThat(run.outcome()).isEqualTo("FAILED");
			assertThat(run.detail()).contains("pg_restore");
		}
		finally {
			this.env.breakPaymentsCheck(false);
		}
		assertThat(LoopbackBackupEnvironment.rowCounts(this.env.qa().name())).isEqualTo(qaBefore);
		assertNothingLeftOver();
	}

	@Test
	@Order(9)
	void failingMigrationsRaiseAnIncidentKeepTheRestoredDataAndARetryFinishes() throws Exception {
		markQa();
		int migrationsBefore = this.env.migrations().size();
		this.env.failMigrations(true);
		String backup = startBackup();
		awaitEnd(backup);
		String restore = restoreStartedBy(backup);
		Incident incident = awaitIncident(restore);
		assertThat(incident.getActivityId()).isEqualTo("Task_MigrateQa");
		assertThat(incident.getIncidentMessage()).contains("migration 0042 failed");
		assertThat(LoopbackBackupEnvironment.rowCounts(this.env.qa().name()))
			.isEqualTo(LoopbackBackupEnvironment.rowCounts(this.env.prod().name()));
		assertThat(this.service.bean(Locks.class).holder(backupLock()))
			.as("the restore waiting on QA's migrations keeps no night from backing Prod up")
			.isEmpty();

		this.env.failMigrations(false);
		ManagementService management = this.service.bean(ManagementService.class);
		Job job = management.createJobQuery().processInstanceId(restore).singleResult();
		management.setJobRetries(job.getId(), 1);
		awaitEnd(restore);
		assertThat(records().run(restore).orElseThrow().outcome()).isEqualTo("RESTORED");
		assertThat(this.env.migrations()).hasSize(migrationsBefore + 1).last().isEqualTo("migrated orders=20000");
		assertNothingLeftOver();
	}

	@Test
	@Order(10)
	void aRestoreStartWhileABackupRunsIsRefused() throws Exception {
		String backup = startBackup();
		HttpResponse<String> refused = this.service.client()
			.postJson("/engine-rest/process-definition/key/qa-restore/start", "{}", "admin",
					LoopbackBackupEnvironment.ADMIN_PASSWORD);
		awaitEnd(backup);
		awaitEnd(restoreStartedBy(backup));
		assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
		assertThat(refused.body()).contains("Locked by another run: " + backupLock() + " is held by process instance");
	}

	@Test
	@Order(11)
	void aQaDatabaseThatIsTheProdDatabaseIsRefusedBeforeAnythingIsTouched() throws Exception {
		if (this.service != null) {
			this.service.close();
			this.service = null;
		}
		Map<String, Long> prodBefore = LoopbackBackupEnvironment.rowCounts(this.env.prod().name());
		Map<String, String> settings = this.env.settings("file://" + this.target.resolve("reporting"), null);
		settings.put("ops.environments.qa.database.name", this.env.prod().name());
		settings.put("ops.data-dir", this.dir.resolve("data-qa-as-prod").toString());
		try (RunningService misconfigured = RunningService.start(settings)) {
			HttpResponse<String> refused = misconfigured.client()
				.postJson("/engine-rest/process-definition/key/qa-restore/start", "{}", "admin",
						LoopbackBackupEnvironment.ADMIN_PASSWORD);
			assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
			assertThat(refused.body()).contains("is the Prod database (same host, port and name)");
			assertThat(misconfigured.bean(BackupRecords.class).latest("RESTORE", 10)).isEmpty();
		}
		assertThat(LoopbackBackupEnvironment.rowCounts(this.env.prod().name())).isEqualTo(prodBefore);
		assertThat(TestPostgres.databasesStartingWith(this.env.prod().name())).containsExactly(this.env.prod().name());
	}

	@Test
	@Order(11)
	void aQaDatabaseThatIsTheProdDatabaseUnderAnotherSpellingOfItsServerIsRefused() throws Exception {
		if (this.service != null) {
			this.service.close();
			this.service = null;
		}
		Map<String, Long> prodBefore = LoopbackBackupEnvironment.rowCounts(this.env.prod().name());
		Map<String, String> settings = this.env.settings("file://" + this.target.resolve("reporting"), null);
		// Prod is 127.0.0.1:5432; this is the same server and database, spelled otherwise
		assertThat(settings).containsEntry("ops.environments.prod.database.host", "127.0.0.1");
		settings.put("ops.environments.qa.database.host", "localhost");
		settings.put("ops.environments.qa.database.name", this.env.prod().name());
		settings.put("ops.data-dir", this.dir.resolve("data-qa-as-prod-by-identity").toString());
		try (RunningService misconfigured = RunningService.start(settings)) {
			HttpResponse<String> refused = misconfigured.client()
				.postJson("/engine-rest/process-definition/key/qa-restore/start", "{}", "admin",
						LoopbackBackupEnvironment.ADMIN_PASSWORD);
			assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
			assertThat(refused.body()).contains("is the Prod database " + this.env.prod().name() + " on 127.0.0.1:5432")
				.contains("both reach " + this.env.prod().name() + " on the server with system identifier");
			assertThat(misconfigured.bean(BackupRecords.class).latest("RESTORE", 10)).isEmpty();
			assertThat(misconfigured.bean(HistoryService.class)
				.createHistoricProcessInstanceQuery()
				.processDefinitionKey("qa-restore")
				.count()).isZero();
		}
		assertThat(LoopbackBackupEnvironment.rowCounts(this.env.prod().name())).isEqualTo(prodBefore);
		assertThat(TestPostgres.databasesStartingWith(this.env.prod().name())).containsExactly(this.env.prod().name());
	}

	// ---- helpers

	private String startBackup() {
		return startProcess("nightly-backup");
	}

	private String startProcess(String key) {
		HttpResponse<String> started = this.service.client()
			.postJson("/engine-rest/process-definition/key/" + key + "/start", "{}", "admin",
					LoopbackBackupEnvironment.ADMIN_PASSWORD);
		assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
		return ServiceClient.idOf(started);
	}

	/** Waits until the instance ended; fails at once when it raises an incident. */
	private void awaitEnd(String processInstanceId) {
		HistoryService history = this.service.bean(HistoryService.class);
		RuntimeService runtime = this.service.bean(RuntimeService.class);
		Awaitility.await("the end of " + processInstanceId)
			.atMost(RUN_LIMIT)
			.pollInterval(Duration.ofMillis(100))
			.failFast(() -> assertThat(runtime.createIncidentQuery().processInstanceId(processInstanceId).list())
				.as("incidents of %s", processInstanceId)
				.isEmpty())
			.until(() -> {
				HistoricProcessInstance instance = history.createHistoricProcessInstanceQuery()
					.processInstanceId(processInstanceId)
					.singleResult();
				return instance != null && instance.getEndTime() != null;
			});
	}

	private Incident awaitIncident(String processInstanceId) {
		RuntimeService runtime = this.service.bean(RuntimeService.class);
		return Awaitility.await("an incident of " + processInstanceId)
			.atMost(RUN_LIMIT)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> runtime.createIncidentQuery().processInstanceId(processInstanceId).list(),
					(incidents) -> !incidents.isEmpty())
			.get(0);
	}

	/**
	 * Waits for a failed night's incident (its work over: the lock free, no staging
	 * left).
	 */
	private Incident awaitFailedNight(String backup) {
		Incident incident = awaitIncident(backup);
		assertThat(incident.getActivityId()).isEqualTo("Task_ReportFailedNight");
		assertThat(incident.getIncidentMessage()).contains("tomorrow's backup runs as planned");
		return incident;
	}

	/**
	 * What an operator's "Retry" in Cockpit, due now, does to a failed night: it ends.
	 * (Retries alone keep the due date the step's retry cycle gave it, a minute on.)
	 */
	private void acknowledge(String backup) {
		ManagementService management = this.service.bean(ManagementService.class);
		Job job = management.createJobQuery()
			.processInstanceId(backup)
			.activityId("Task_ReportFailedNight")
			.singleResult();
		management.setJobRetries(1).jobId(job.getId()).dueDate(new Date()).execute();
		awaitEnd(backup);
	}

	/** How often a step of a run failed (tries that the job retried). */
	private long failedTries(String processInstanceId, String activityId) {
		return this.service.bean(HistoryService.class)
			.createHistoricJobLogQuery()
			.processInstanceId(processInstanceId)
			.activityIdIn(activityId)
			.failureLog()
			.count();
	}

	/** Waits until one job of a step has failed so many times (and waits to retry). */
	private void awaitFailedTries(String processInstanceId, String activityId, long failures) {
		ManagementService management = this.service.bean(ManagementService.class);
		Awaitility.await(failures + " failed tries of " + activityId + " of " + processInstanceId)
			.atMost(RUN_LIMIT)
			.pollInterval(Duration.ofMillis(50))
			.untilAsserted(() -> assertThat(failedTries(processInstanceId, activityId))
				.as(() -> "failed tries; its jobs now: " + management.createJobQuery()
					.processInstanceId(processInstanceId)
					.list()
					.stream()
					.map((job) -> job.getFailedActivityId() + " retries " + job.getRetries() + " "
							+ job.getExceptionMessage())
					.toList())
				.isGreaterThanOrEqualTo(failures));
	}

	private String restoreStartedBy(String backup) {
		return Awaitility.await("the qa-restore started by nightly-backup " + backup)
			.atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> restoreOf(backup), Objects::nonNull);
	}

	private String restoreOf(String backup) {
		List<HistoricProcessInstance> restores = this.service.bean(HistoryService.class)
			.createHistoricProcessInstanceQuery()
			.processDefinitionKey("qa-restore")
			.variableValueEquals("backupRun", backup)
			.list();
		return restores.isEmpty() ? null : restores.get(0).getId();
	}

	private BackupRecords records() {
		return this.service.bean(BackupRecords.class);
	}

	private static BackupSetRecord setOf(List<BackupSetRecord> sets, String tier) {
		return sets.stream().filter((set) -> set.tier().equals(tier)).findFirst().orElseThrow();
	}

	/** The full sets in a tier's target folder, by the times in their manifest names. */
	private List<Instant> fullSets(String tier) throws IOException {
		return targetFiles().getOrDefault(tier, Set.of())
			.stream()
			.filter((name) -> name.startsWith("duplicity-full.") && name.endsWith(".manifest.gpg"))
			.map((name) -> name.substring("duplicity-full.".length(), name.indexOf(".manifest")))
			.map((time) -> java.time.LocalDateTime
				.parse(time, java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"))
				.toInstant(java.time.ZoneOffset.UTC))
			.sorted()
			.toList();
	}

	/** Every volume in a tier's folder belongs to a set that has its manifest. */
	private void assertNoPartialSet(String tier) throws IOException {
		Set<String> names = targetFiles().get(tier);
		for (String name : names) {
			if (name.matches("duplicity-full\\..*\\.vol[0-9]+\\.difftar\\.gpg")) {
				String time = name.replaceAll("duplicity-full\\.(.*)\\.vol[0-9]+\\.difftar\\.gpg", "$1");
				assertThat(names).as("%s: the set of %s is complete", tier, time)
					.contains("duplicity-full." + time + ".manifest.gpg");
			}
		}
	}

	/** Every file of every tier's target folder, by tier. */
	private Map<String, Set<String>> targetFiles() throws IOException {
		Map<String, Set<String>> files = new java.util.TreeMap<>();
		for (String tier : List.of("daily", "weekly", "monthly")) {
			Path folder = this.target.resolve("reporting-" + tier);
			Set<String> names = new TreeSet<>();
			if (Files.isDirectory(folder)) {
				try (Stream<Path> list = Files.list(folder)) {
					list.forEach((path) -> names.add(path.getFileName().toString()));
				}
			}
			files.put(tier, names);
		}
		return files;
	}

	private Path newestDailyVolume() throws IOException {
		try (Stream<Path> list = Files.list(this.target.resolve("reporting-daily"))) {
			return list
				.filter((path) -> path.getFileName().toString().matches("duplicity-full\\..*\\.vol1\\.difftar\\.gpg"))
				.max(java.util.Comparator.comparing((Path path) -> path.getFileName().toString()))
				.orElseThrow();
		}
	}

	/** No staging files, no temporary or retired QA databases, no lock held. */
	private void assertNothingLeftOver() throws IOException {
		Path staging = this.dir.resolve("env/data/staging");
		if (Files.isDirectory(staging)) {
			try (Stream<Path> list = Files.list(staging)) {
				assertThat(list.toList()).as("staging folder").isEmpty();
			}
		}
		assertThat(TestPostgres.databasesStartingWith(this.env.qa().name())).containsExactly(this.env.qa().name());
		assertThat(this.service.bean(Locks.class).holder(backupLock())).isEmpty();
	}

	private String backupLock() {
		return "backup:127.0.0.1:5432/" + this.env.prod().name();
	}

	/** A row only this QA database has, so that a restore that touched it would show. */
	private void markQa() throws Exception {
		execute(this.env.qa(), "INSERT INTO audit_empty VALUES (42)");
	}

	private static void execute(TestPostgres database, String sql) throws Exception {
		try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	/**
	 * Runs SQL as PostgreSQL's superuser, over the local socket (the tests run as root).
	 */
	private static void asSuperuser(TestPostgres database, String sql) throws Exception {
		LoopbackBackupEnvironment.run(Map.of(), "runuser", "-u", "postgres", "--", "psql", "-v", "ON_ERROR_STOP=1",
				"-d", database.name(), "-c", sql);
	}

	private static void mount(String... arguments) throws Exception {
		String[] argv = new String[arguments.length + 1];
		argv[0] = "mount";
		System.arraycopy(arguments, 0, argv, 1, arguments.length);
		LoopbackBackupEnvironment.run(Map.of(), argv);
	}

	/**
	 * Waits for a program of this JVM's service whose argv holds all the words, then
	 * kills it and its children.
	 */
	private static void killWhenRunning(String... words) {
		ProcessHandle process = Awaitility.await("a program with " + List.of(words))
			.atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(5))
			// this JVM's own programs (the service runs in it): a class beside this one
			// uploads to a target of the same name
			.until(() -> ProcessHandle.current().descendants().filter((candidate) -> {
				String argv = candidate.info().commandLine().orElse("");
				return Stream.of(words).allMatch(argv::contains) && !argv.contains("collection-status");
			}).findFirst(), Optional::isPresent)
			.get();
		process.descendants().forEach(ProcessHandle::destroyForcibly);
		process.destroyForcibly();
	}

}
