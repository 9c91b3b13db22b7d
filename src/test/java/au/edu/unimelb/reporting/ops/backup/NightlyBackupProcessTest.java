package au.edu.unimelb.reporting.ops.backup;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import au.edu.unimelb.reporting.ops.engine.RequestRefusedException;
import au.edu.unimelb.reporting.ops.nightly.BackupRecords;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import au.edu.unimelb.reporting.ops.lock.LockHeldException;
import au.edu.unimelb.reporting.ops.nightly.StepFailedException;
import au.edu.unimelb.reporting.ops.restore.QaRestoreProcess;
import au.edu.unimelb.reporting.ops.restore.RestoreDelegatesForTests;
import au.edu.unimelb.reporting.ops.restore.QaRestoreService;
import au.edu.unimelb.reporting.ops.support.ProcessJobs;
import org.assertj.core.api.Assertions;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.historyService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.identityService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.managementService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.repositoryService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.startsWith;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.reset;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * Every branch of {@code processes/nightly-backup.bpmn}, with {@link BackupService} and
 * {@link TierSteps} replaced: all tiers verified, a failing program tried again on the
 * step's retry cycle (kept when a later try works, given up on the last), a set that does
 * not verify (given up at once), a failed dump, a nightly run that finds the lock taken,
 * a failed night that waits as an incident while tomorrow's timer still fires, a backup a
 * release takes, a refused on-demand start.
 */
@Deployment(resources = { "processes/nightly-backup.bpmn", "processes/qa-restore.bpmn" })
class NightlyBackupProcessTest {

	static final BackupService backup = mock(BackupService.class);

	static final TierSteps tiers = mock(TierSteps.class);

	static final QaRestoreService restore = mock(QaRestoreService.class);

	static final BackupSchedule schedule = mock(BackupSchedule.class);

	static final NightReport report = mock(NightReport.class);

	static final String LOCK = "backup:db.example:5432/reporting";

	static final SimpleMeterRegistry METERS = new SimpleMeterRegistry();

	static final BackupMetrics METRICS = new BackupMetrics(METERS, mock(BackupRecords.class), Clock.systemUTC());

	static final Instant DAILY_SET = Instant.parse("2026-11-22T14:30:05Z");

	static final Instant WEEKLY_SET = Instant.parse("2026-11-22T14:30:06Z");

	@RegisterExtension
	static ProcessEngineExtension engine = ProcessEngineExtension.builder()
		.configurationResource("process-test.camunda.cfg.xml")
		.build();

	@BeforeAll
	static void registerDelegates() {
		// Before the deployment: the timer start event reads ${backupSchedule.cron} then.
		when(schedule.getCron()).thenReturn("0 30 1 * * *");
		Mocks.register("backupSchedule", schedule);
		Mocks.register("nightlyRetries", Map.of("retryCycle", "R2/PT1S"));
		Mocks.register("backupTiers", new BackupTiers());
		NightReports reports = new NightReports(List.of(report));
		Mocks.register("acceptBackup", new AcceptBackupDelegate(backup, reports));
		Mocks.register("dumpDatabase", new DumpDatabaseDelegate(backup, METRICS));
		Mocks.register("uploadToTier", new UploadDelegate(tiers));
		Mocks.register("verifyTier", new VerifyDelegate(tiers));
		Mocks.register("applyRetention", new ApplyRetentionDelegate(tiers));
		Mocks.register("cleanUpUpload", new CleanUpUploadDelegate(tiers));
		Mocks.register("finishBackup", new FinishBackupDelegate(backup, reports));
		Mocks.register("reportFailedNight", new ReportFailedNightDelegate());
		Mocks.register("finishBackupRun", new FinishBackupRunListener(backup));
		RestoreDelegatesForTests.register(restore);
	}

	@AfterAll
	static void resetMocks() {
		Mocks.reset();
	}

	@BeforeEach
	void stubs() {
		reset(backup, tiers, restore, schedule, report);
		when(schedule.getCron()).thenReturn("0 30 1 * * *");
		when(schedule.isQaRestoreAfter()).thenReturn(true);
		Mocks.register("startQaRestore", new StartQaRestoreDelegate(backup, runtimeService()));
		when(backup.acceptBackup(anyString(), eq("admin"), any(), eq(false))).thenReturn(List.of("daily", "weekly"));
		when(backup.acceptBackup(anyString(), eq("timer"), any(), eq(false))).thenReturn(List.of("daily", "weekly"));
		when(tiers.upload(anyString(), eq("daily"), any())).thenReturn(DAILY_SET);
		when(tiers.upload(anyString(), eq("weekly"), any())).thenReturn(WEEKLY_SET);
		when(tiers.applyRetention(anyString(), anyString(), any())).thenReturn("kept");
		when(backup.dump(anyString())).thenReturn(1234L);
		when(restore.acceptRestore(anyString(), anyString())).thenReturn("reporting_qa_restore_x");
	}

	static long dumpsTimed() {
		Timer timer = METERS.find("reporting.backup.dump.duration").timer();
		return (timer != null) ? timer.count() : 0;
	}

	@Test
	void uploadsEveryTierVerifiesAppliesRetentionAndStartsTheQaRestore() {
		ends(NightlyBackupProcess.BACKED_UP, null, true);

		ProcessInstance instance = startAsAdmin();
		assertThat(instance).isWaitingAt("Task_DumpDatabase").variables().containsEntry("tiers", "daily,weekly");
		long dumps = dumpsTimed();
		runAll(instance);
		org.assertj.core.api.Assertions.assertThat(dumpsTimed())
			.as("reporting_backup_dump_duration_seconds_count")
			.isEqualTo(dumps + 1);

		assertThat(instance).isEnded().hasPassed("EndEvent_BackedUp", "Task_StartQaRestore");
		verify(tiers).verify(instance.getId(), "daily", DAILY_SET);
		verify(tiers).verify(instance.getId(), "weekly", WEEKLY_SET);
		verify(tiers).applyRetention(instance.getId(), "daily", DAILY_SET);
		verify(tiers).applyRetention(instance.getId(), "weekly", WEEKLY_SET);
		verify(tiers, never()).cleanUpTier(anyString(), anyString());
		verify(backup).endNight(instance.getId(), List.of("daily", "weekly"), null, false);
		verify(backup).handOverLock(instance.getId());
		verify(backup).finish(instance.getId(), NightlyBackupProcess.BACKED_UP, null);
		verify(report).nightEnded(new NightReport.Night(instance.getId(), NightlyBackupProcess.BACKED_UP, null, false));
		ProcessInstance qaRestore = runtimeService().createProcessInstanceQuery()
			.processDefinitionKey(QaRestoreProcess.KEY)
			.singleResult();
		assertThat(qaRestore).isWaitingAt("Task_FetchBackup").variables().containsEntry("backupRun", instance.getId());
		verify(restore).acceptRestore(qaRestore.getId(), "nightly-backup " + instance.getId());
	}

	@Test
	void aFailingUploadIsTriedAgainAndKeptWhenALaterTryWorks() {
		when(tiers.upload(anyString(), eq("weekly"), any()))
			.thenThrow(StepFailedException.retryable("duplicity full to swift://x-weekly failed: exit 50 (503)"))
			.thenReturn(WEEKLY_SET);
		ends(NightlyBackupProcess.BACKED_UP, null, true);

		ProcessInstance instance = startAsAdmin();
		runAll(instance);

		assertThat(instance).isEnded().hasPassed("EndEvent_BackedUp").hasNotPassed("Task_CleanUpUpload");
		verify(tiers, times(2)).upload(eq(instance.getId()), eq("weekly"), any());
		verify(tiers, never()).noteTierFailure(anyString(), anyString(), anyString());
		verify(tiers).applyRetention(instance.getId(), "weekly", WEEKLY_SET);
	}

	@Test
	void aFailingUploadIsGivenUpOnlyOnItsLastTryThenCleansUpAndTheNightIsReported() {
		when(tiers.upload(anyString(), eq("weekly"), any()))
			.thenThrow(StepFailedException.retryable("duplicity full to swift://x-weekly failed: exit 50"));
		ends(NightlyBackupProcess.INCOMPLETE, "Not verified: weekly (weekly failed: exit 50)", true);

		ProcessInstance instance = startAsAdmin();
		runAll(instance);

		// R2 (the test's cycle): two tries, the first one an ordinary job failure
		verify(tiers, times(2)).upload(eq(instance.getId()), eq("weekly"), any());
		verify(tiers).noteTierFailure(instance.getId(), "weekly", "duplicity full to swift://x-weekly failed: exit 50");
		verify(tiers).cleanUpTier(instance.getId(), "weekly");
		verify(tiers, never()).applyRetention(anyString(), eq("weekly"), any());
		verify(tiers).applyRetention(instance.getId(), "daily", DAILY_SET);
		assertThat(instance).isWaitingAt("Task_ReportFailedNight")
			.hasPassed("Task_CleanUpUpload", "EndEvent_TierFailed", "EndEvent_TierDone", "Task_StartQaRestore");
		Incident incident = incidentOf(instance);
		org.assertj.core.api.Assertions.assertThat(incident.getActivityId()).isEqualTo("Task_ReportFailedNight");
		org.assertj.core.api.Assertions.assertThat(incident.getIncidentMessage())
			.contains("ended INCOMPLETE: Not verified: weekly (weekly failed: exit 50)")
			.contains("tomorrow's backup runs as planned")
			.contains("Retry this step to acknowledge it");
		verify(report).nightEnded(new NightReport.Night(instance.getId(), NightlyBackupProcess.INCOMPLETE,
				"Not verified: weekly (weekly failed: exit 50)", false));

		acknowledge(instance);
		assertThat(instance).isEnded().hasPassed("EndEvent_NotBackedUp");
		verify(backup).finish(instance.getId(), NightlyBackupProcess.INCOMPLETE,
				"Not verified: weekly (weekly failed: exit 50)");
	}

	@Test
	void aFailedNightWaitingForAnOperatorDoesNotStopTomorrowsRun() {
		when(tiers.upload(anyString(), eq("weekly"), any())).thenThrow(new StepFailedException("verify failed"));
		ends(NightlyBackupProcess.INCOMPLETE, "Not verified: weekly", true);
		ProcessInstance tonight = startAsAdmin();
		runAll(tonight);
		assertThat(tonight).isWaitingAt("Task_ReportFailedNight");
		// its work ended (record, staging, lock) before the incident
		verify(backup).endNight(tonight.getId(), List.of("daily", "weekly"), null, false);

		Job timer = managementService().createJobQuery().timers().activityId("StartEvent_Nightly").singleResult();
		managementService().executeJob(timer.getId());

		ProcessInstance tomorrow = runtimeService().createProcessInstanceQuery()
			.processDefinitionKey(NightlyBackupProcess.KEY)
			.list()
			.stream()
			.filter((instance) -> !instance.getId().equals(tonight.getId()))
			.findFirst()
			.orElseThrow();
		assertThat(tomorrow).isWaitingAt("Task_DumpDatabase");
		verify(backup).acceptBackup(eq(tomorrow.getId()), eq("timer"), any(), eq(false));
		org.assertj.core.api.Assertions
			.assertThat(managementService().createJobQuery().timers().activityId("StartEvent_Nightly").count())
			.as("the timer waits for the night after")
			.isOne();
	}

	@Test
	void aSetThatDoesNotVerifyIsLeftOutOfRetention() {
		org.mockito.Mockito.doThrow(new StepFailedException("verify failed"))
			.when(tiers)
			.verify(anyString(), eq("daily"), any());
		ends(NightlyBackupProcess.INCOMPLETE, "Not verified: daily", false);

		ProcessInstance instance = startAsAdmin();
		runAll(instance);

		assertThat(instance).isWaitingAt("Task_ReportFailedNight")
			.hasPassed("Task_CleanUpUpload")
			.hasNotPassed("Task_StartQaRestore");
		// a verdict: the failure path at once, no second try
		verify(tiers, times(1)).verify(instance.getId(), "daily", DAILY_SET);
		verify(tiers).noteTierFailure(instance.getId(), "daily", "verify failed");
		verify(tiers, never()).applyRetention(anyString(), eq("daily"), any());
		verify(tiers).applyRetention(instance.getId(), "weekly", WEEKLY_SET);
	}

	@Test
	void aRetentionThatFailsOnItsLastTryIsNotedAndTheNightIsReportedNotLost() {
		when(tiers.applyRetention(anyString(), eq("daily"), any()))
			.thenThrow(StepFailedException.retryable("duplicity remove-older-than failed: 503"));
		ends(NightlyBackupProcess.INCOMPLETE, "daily retention failed: duplicity remove-older-than failed: 503", true);

		ProcessInstance instance = startAsAdmin();
		runAll(instance);

		verify(tiers, times(2)).applyRetention(instance.getId(), "daily", DAILY_SET);
		verify(tiers).noteRetentionFailure(instance.getId(), "daily", "duplicity remove-older-than failed: 503");
		assertThat(instance).hasPassed("EndEvent_RetentionFailed").isWaitingAt("Task_ReportFailedNight");
	}

	@Test
	void aFailureOutsideTheStepsOwnChecksIsTriedAgainThenGivesTheTierUpNotAnIncidentHoldingTheLock() {
		// a full staging disk, a program started outside the step's own checks (GnuPG's
		// agent), the database gone
		when(tiers.upload(anyString(), eq("daily"), any()))
			.thenThrow(new java.io.UncheckedIOException(new java.io.IOException("No space left on device")));
		ends(NightlyBackupProcess.INCOMPLETE, "Not verified: daily", false);

		ProcessInstance instance = startAsAdmin();
		runAll(instance);

		verify(tiers, times(2)).upload(eq(instance.getId()), eq("daily"), any());
		assertThat(instance).hasPassed("Task_CleanUpUpload").isWaitingAt("Task_ReportFailedNight");
	}

	@Test
	void aFailedDumpIsTriedAgainThenEndsTheRunWithItsReasonAndUploadsNothing() {
		when(backup.dump(anyString()))
			.thenThrow(StepFailedException.retryable("pg_dump of reporting failed: connection refused"));
		when(backup.endNight(anyString(), any(), eq("pg_dump of reporting failed: connection refused"), eq(false)))
			.thenReturn(new BackupService.NightEnd(NightlyBackupProcess.FAILED,
					"pg_dump of reporting failed: connection refused", false, false));

		ProcessInstance instance = startAsAdmin();
		runAll(instance);

		verify(backup, times(2)).dump(instance.getId());
		assertThat(instance).isWaitingAt("Task_ReportFailedNight").hasNotPassed("SubProcess_Tier");
		org.assertj.core.api.Assertions.assertThat(incidentOf(instance).getIncidentMessage())
			.contains("ended FAILED: pg_dump of reporting failed: connection refused");
		verify(tiers, never()).upload(anyString(), anyString(), any());
		acknowledge(instance);
		assertThat(instance).isEnded().hasPassed("EndEvent_NotBackedUp");
		verify(backup).finish(instance.getId(), NightlyBackupProcess.FAILED,
				"pg_dump of reporting failed: connection refused");
	}

	@Test
	void aNightlyRunThatFindsTheLockTakenIsSkippedAndReported() {
		RequestRefusedException locked = RequestRefusedException
			.lockedByAnotherRun(new LockHeldException(LOCK, "run-0", "admin", "2026-11-23 01:30:00.0"));
		String reason = locked.getMessage();
		when(backup.acceptBackup(anyString(), eq("timer"), any(), eq(false))).thenThrow(locked);

		ProcessInstance instance = runtimeService().startProcessInstanceByKey(NightlyBackupProcess.KEY);

		assertThat(instance).isWaitingAt("Task_ReportFailedNight").hasNotPassed("Task_DumpDatabase");
		verify(backup).skip(instance.getId(), reason);
		verify(report).nightEnded(new NightReport.Night(instance.getId(), NightlyBackupProcess.SKIPPED, reason, false));
		runAll(instance);
		org.assertj.core.api.Assertions.assertThat(incidentOf(instance).getIncidentMessage())
			.contains("ended SKIPPED: " + reason);
		acknowledge(instance);
		assertThat(instance).isEnded().hasPassed("EndEvent_NotBackedUp");
		verify(backup).finish(instance.getId(), NightlyBackupProcess.SKIPPED, reason);
	}

	@Test
	void anOnDemandStartThatIsRefusedStartsNothing() {
		when(backup.acceptBackup(anyString(), eq("admin"), any(), eq(false)))
			.thenThrow(RequestRefusedException.conflict("Backups are switched off"));

		assertThatThrownBy(this::startAsAdmin).hasMessageContaining("Backups are switched off");
		org.assertj.core.api.Assertions
			.assertThat(historyService().createHistoricProcessInstanceQuery()
				.processDefinitionKey(NightlyBackupProcess.KEY)
				.count())
			.isZero();
	}

	@Test
	void aBackupForAReleaseTakesTheDailyTierOnlyStartsNoQaRestoreAndRaisesNoIncident() {
		org.mockito.Mockito.doThrow(new StepFailedException("verify failed"))
			.when(tiers)
			.verify(anyString(), eq("daily"), any());
		when(backup.endNight(anyString(), eq(List.of("daily")), any(), eq(true))).thenReturn(
				new BackupService.NightEnd(NightlyBackupProcess.INCOMPLETE, "Not verified: daily", false, false));

		String caller = repositoryService().createDeployment()
			.addModelInstance("release.bpmn",
					Bpmn.createExecutableProcess(NightlyBackupProcess.RELEASE_KEY)
						.camundaHistoryTimeToLive(1)
						.startEvent()
						.callActivity("CallActivity_TakeBackup")
						.calledElement(NightlyBackupProcess.KEY)
						.endEvent()
						.done())
			.deploy()
			.getId();
		when(backup.acceptBackup(anyString(), startsWith("release "), any(), eq(true))).thenReturn(List.of("daily"));
		try {
			ProcessInstance release = runtimeService().startProcessInstanceByKey(NightlyBackupProcess.RELEASE_KEY);
			ProcessInstance instance = runtimeService().createProcessInstanceQuery()
				.superProcessInstanceId(release.getId())
				.singleResult();
			verify(backup).acceptBackup(eq(instance.getId()), eq("release " + release.getId()), any(), eq(true));
			runAll(instance);

			assertThat(instance).isEnded().hasPassed("EndEvent_ForRelease").hasNotPassed("Task_StartQaRestore");
			org.assertj.core.api.Assertions
				.assertThat(runtimeService().createIncidentQuery().processInstanceId(instance.getId()).count())
				.isZero();
			verify(tiers, never()).upload(anyString(), eq("weekly"), any());
			assertThat(release).isEnded();
		}
		finally {
			repositoryService().deleteDeployment(caller, true);
		}
	}

	@Test
	void aStartRequestThatSaysItIsForAReleaseIsRefused() {
		identityService().setAuthenticatedUserId("admin");
		try {
			assertThatThrownBy(() -> runtimeService().startProcessInstanceByKey(NightlyBackupProcess.KEY,
					Map.of("forRelease", true, "releaseId", "r1")))
				.isInstanceOf(RequestRefusedException.class)
				.hasMessageContaining("can only come from the release that calls a backup");
		}
		finally {
			identityService().clearAuthentication();
		}
		org.assertj.core.api.Assertions.assertThat(runtimeService().createProcessInstanceQuery().count()).isZero();
		verify(backup, never()).acceptBackup(anyString(), anyString(), any(), anyBoolean());
	}

	@Test
	void theNightlyTimerIsAStartEventOfTheModel() {
		Job timer = managementService().createJobQuery().timers().activityId("StartEvent_Nightly").singleResult();
		org.assertj.core.api.Assertions.assertThat(timer).isNotNull();
		org.assertj.core.api.Assertions.assertThat(timer.getDuedate()).isInTheFuture();
	}

	private ProcessInstance startAsAdmin() {
		identityService().setAuthenticatedUserId("admin");
		try {
			return runtimeService().startProcessInstanceByKey(NightlyBackupProcess.KEY, Map.of());
		}
		finally {
			identityService().clearAuthentication();
		}
	}

	private static void ends(String outcome, String detail, boolean dailyVerified) {
		when(backup.endNight(anyString(), any(), any(), eq(false)))
			.thenReturn(new BackupService.NightEnd(outcome, detail, dailyVerified, dailyVerified));
	}

	/**
	 * Executes the backup run's jobs, as the job executor would (a failing one again
	 * until its retries are used up), until it waits for none or only for an incident.
	 */
	private void runAll(ProcessInstance instance) {
		for (int round = 0; round < 50; round++) {
			List<Job> jobs = managementService().createJobQuery()
				.processInstanceId(instance.getId())
				.withRetriesLeft()
				.list();
			if (jobs.isEmpty()) {
				return;
			}
			try {
				managementService().executeJob(jobs.get(0).getId());
			}
			catch (RuntimeException expected) {
				// a failed try: retried on the step's cycle, then an incident
			}
		}
		throw new AssertionError("The run did not end");
	}

	private static Incident incidentOf(ProcessInstance instance) {
		return runtimeService().createIncidentQuery().processInstanceId(instance.getId()).singleResult();
	}

	/** What an operator's "Retry" in Cockpit does. */
	private static void acknowledge(ProcessInstance instance) {
		Job job = managementService().createJobQuery()
			.processInstanceId(instance.getId())
			.activityId("Task_ReportFailedNight")
			.singleResult();
		managementService().setJobRetries(job.getId(), 1);
		managementService().executeJob(job.getId());
	}

	@Test
	void throwsAndCatchesOnlyTheErrorsItsConstantsName() {
		Assertions.assertThat(ProcessJobs.errorCodes(NightlyBackupProcess.KEY))
			.containsExactlyInAnyOrder(NightlyBackupProcess.ERROR_STEP_FAILED);
	}

}
