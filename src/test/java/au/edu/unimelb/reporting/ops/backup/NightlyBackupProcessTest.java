package au.edu.unimelb.reporting.ops.backup;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import au.edu.unimelb.reporting.ops.engine.RequestRefusedException;
import au.edu.unimelb.reporting.ops.restore.RestoreDelegatesForTests;
import au.edu.unimelb.reporting.ops.restore.QaRestoreService;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.historyService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.identityService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.managementService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.reset;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * Every branch of {@code processes/nightly-backup.bpmn}, with {@link BackupService}
 * replaced: all tiers verified, a tier whose upload or verify fails (its older sets kept,
 * the other tiers go on), a failed dump, a nightly run that finds the lock taken, a
 * refused on-demand start.
 */
@Deployment(resources = { "processes/nightly-backup.bpmn", "processes/qa-restore.bpmn" })
class NightlyBackupProcessTest {

	static final BackupService backup = mock(BackupService.class);

	static final QaRestoreService restore = mock(QaRestoreService.class);

	static final BackupSchedule schedule = mock(BackupSchedule.class);

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
		Mocks.register("backupTiers", new BackupTiers());
		Mocks.register("acceptBackup", new AcceptBackupDelegate(backup));
		Mocks.register("dumpDatabase", new DumpDatabaseDelegate(backup));
		Mocks.register("uploadToTier", new UploadDelegate(backup));
		Mocks.register("verifyTier", new VerifyDelegate(backup));
		Mocks.register("applyRetention", new ApplyRetentionDelegate(backup));
		Mocks.register("cleanUpUpload", new CleanUpUploadDelegate(backup));
		Mocks.register("finishBackup", new FinishBackupDelegate(backup));
		Mocks.register("finishBackupRun", new FinishBackupRunListener(backup));
		RestoreDelegatesForTests.register(restore);
	}

	@AfterAll
	static void resetMocks() {
		Mocks.reset();
	}

	@BeforeEach
	void stubs() {
		reset(backup, restore, schedule);
		when(schedule.getCron()).thenReturn("0 30 1 * * *");
		when(schedule.getRetryCycle()).thenReturn("R2/PT1S");
		when(schedule.isQaRestoreAfter()).thenReturn(true);
		Mocks.register("startQaRestore", new StartQaRestoreDelegate(backup, runtimeService()));
		when(backup.acceptBackup(anyString(), eq("admin"), any())).thenReturn(List.of("daily", "weekly"));
		when(backup.upload(anyString(), eq("daily"), any())).thenReturn(DAILY_SET);
		when(backup.upload(anyString(), eq("weekly"), any())).thenReturn(WEEKLY_SET);
		when(backup.applyRetention(anyString(), anyString(), any())).thenReturn("kept");
		when(backup.dump(anyString())).thenReturn(1234L);
		when(restore.acceptRestore(anyString(), anyString())).thenReturn("reporting_qa_restore_x");
	}

	@Test
	void uploadsEveryTierVerifiesAppliesRetentionAndStartsTheQaRestore() {
		when(backup.outcome(anyString(), eq(List.of("daily", "weekly")))).thenReturn(NightlyBackupProcess.BACKED_UP);
		when(backup.verified(anyString(), eq("daily"))).thenReturn(true);

		ProcessInstance instance = startAsAdmin();
		assertThat(instance).isWaitingAt("Task_DumpDatabase").variables().containsEntry("tiers", "daily,weekly");
		runAll(instance);

		assertThat(instance).isEnded().hasPassed("EndEvent_BackedUp", "Task_StartQaRestore");
		verify(backup).verify(instance.getId(), "daily", DAILY_SET);
		verify(backup).verify(instance.getId(), "weekly", WEEKLY_SET);
		verify(backup).applyRetention(instance.getId(), "daily", DAILY_SET);
		verify(backup).applyRetention(instance.getId(), "weekly", WEEKLY_SET);
		verify(backup, never()).cleanUpTier(anyString(), anyString());
		verify(backup).handOverLock(instance.getId());
		verify(backup).finish(instance.getId(), NightlyBackupProcess.BACKED_UP, null);
		ProcessInstance qaRestore = runtimeService().createProcessInstanceQuery()
			.processDefinitionKey(NightlyBackupProcess.RESTORE_KEY)
			.singleResult();
		assertThat(qaRestore).isWaitingAt("Task_FetchBackup").variables().containsEntry("backupRun", instance.getId());
		verify(restore).acceptRestore(qaRestore.getId(), "nightly-backup " + instance.getId());
	}

	@Test
	void aFailedUploadCleansUpKeepsOlderSetsAndLetsTheOtherTiersFinish() {
		when(backup.upload(anyString(), eq("weekly"), any()))
			.thenThrow(new StepFailedException("duplicity full to file:///b/x-weekly failed: exit 50"));
		when(backup.outcome(anyString(), any())).thenReturn(NightlyBackupProcess.INCOMPLETE);
		when(backup.verified(anyString(), eq("daily"))).thenReturn(true);

		ProcessInstance instance = startAsAdmin();
		runAll(instance);

		assertThat(instance).isEnded()
			.hasPassed("Task_CleanUpUpload", "EndEvent_TierFailed", "EndEvent_TierDone", "Task_StartQaRestore",
					"EndEvent_BackupIncomplete");
		verify(backup).noteTierFailure(instance.getId(), "weekly",
				"duplicity full to file:///b/x-weekly failed: exit 50");
		verify(backup).cleanUpTier(instance.getId(), "weekly");
		verify(backup, never()).applyRetention(anyString(), eq("weekly"), any());
		verify(backup).applyRetention(instance.getId(), "daily", DAILY_SET);
		verify(backup).finish(instance.getId(), NightlyBackupProcess.INCOMPLETE,
				"Not every tier was verified: [daily, weekly]");
	}

	@Test
	void aSetThatDoesNotVerifyIsLeftOutOfRetention() {
		org.mockito.Mockito.doThrow(new StepFailedException("verify failed"))
			.when(backup)
			.verify(anyString(), eq("daily"), any());
		when(backup.outcome(anyString(), any())).thenReturn(NightlyBackupProcess.INCOMPLETE);
		when(backup.verified(anyString(), eq("daily"))).thenReturn(false);

		ProcessInstance instance = startAsAdmin();
		runAll(instance);

		assertThat(instance).isEnded()
			.hasPassed("Task_CleanUpUpload", "EndEvent_BackupIncomplete")
			.hasNotPassed("Task_StartQaRestore");
		verify(backup).noteTierFailure(instance.getId(), "daily", "verify failed");
		verify(backup, never()).applyRetention(anyString(), eq("daily"), any());
		verify(backup).applyRetention(instance.getId(), "weekly", WEEKLY_SET);
	}

	@Test
	void aFailedDumpEndsTheRunWithItsReasonAndUploadsNothing() {
		when(backup.dump(anyString())).thenThrow(new StepFailedException("pg_dump of reporting failed: exit 1"));

		ProcessInstance instance = startAsAdmin();
		runAll(instance);

		assertThat(instance).isEnded().hasPassed("EndEvent_BackupFailed").hasNotPassed("SubProcess_Tier");
		verify(backup, never()).upload(anyString(), anyString(), any());
		verify(backup).finish(instance.getId(), NightlyBackupProcess.FAILED, "pg_dump of reporting failed: exit 1");
	}

	@Test
	void aNightlyRunThatFindsTheLockTakenEndsAsSkipped() {
		when(backup.acceptBackup(anyString(), eq("timer"), any()))
			.thenThrow(RequestRefusedException.conflict("A backup or QA restore of reporting is running"));

		ProcessInstance instance = runtimeService().startProcessInstanceByKey(NightlyBackupProcess.KEY);

		assertThat(instance).isEnded().hasPassed("EndEvent_Skipped");
		verify(backup).skip(instance.getId(), "A backup or QA restore of reporting is running");
		verify(backup).finish(instance.getId(), NightlyBackupProcess.SKIPPED,
				"A backup or QA restore of reporting is running");
	}

	@Test
	void anOnDemandStartThatIsRefusedStartsNothing() {
		when(backup.acceptBackup(anyString(), eq("admin"), any()))
			.thenThrow(RequestRefusedException.conflict("Backups are switched off"));

		assertThatThrownBy(this::startAsAdmin).hasMessageContaining("Backups are switched off");
		org.assertj.core.api.Assertions
			.assertThat(historyService().createHistoricProcessInstanceQuery()
				.processDefinitionKey(NightlyBackupProcess.KEY)
				.count())
			.isZero();
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

	/**
	 * Executes the backup run's jobs until it waits for none (the tiers in any order).
	 */
	private void runAll(ProcessInstance instance) {
		for (int round = 0; round < 50; round++) {
			List<Job> jobs = managementService().createJobQuery().processInstanceId(instance.getId()).list();
			if (jobs.isEmpty()) {
				return;
			}
			execute(jobs.get(0));
		}
		throw new AssertionError("The run did not end");
	}

}
