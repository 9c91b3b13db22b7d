package au.edu.unimelb.reporting.ops.release;

import java.time.Clock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.jdbc.core.JdbcTemplate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import au.edu.unimelb.reporting.ops.deploy.ReleaseApprovals.Approval;
import au.edu.unimelb.reporting.ops.engine.RequestRefusedException;
import au.edu.unimelb.reporting.ops.lock.LockHeldException;
import au.edu.unimelb.reporting.ops.release.ReleaseService.Decision;
import au.edu.unimelb.reporting.ops.security.IdentityRoles;
import au.edu.unimelb.reporting.ops.release.ReleaseService.UatContext;
import org.assertj.core.api.Assertions;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import au.edu.unimelb.reporting.ops.support.ProcessJobs;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
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
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.authorizationService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.historyService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.identityService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.managementService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.repositoryService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.taskService;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.doNothing;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.reset;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * Every path of {@code processes/release.bpmn}, with {@link ReleaseService} and
 * {@link ProdBackupCheck} replaced and one-step stand-ins for deploy-replace and
 * nightly-backup: approved (QA, UAT, backup check, Prod), rejected, expired, reminded, QA
 * redeployed during UAT, a stale backup (the release takes a fresh one, and goes on or
 * ends as BACKUP_FAILED with Prod untouched), a backup running at that moment (waited
 * for, its result taken), a failed QA deploy, a refused start.
 */
@Deployment(resources = { "processes/release.bpmn", "release-test/deploy-replace-stub.bpmn",
		"release-test/nightly-backup-stub.bpmn" })
class ReleaseProcessTest {

	static final SimpleMeterRegistry METERS = new SimpleMeterRegistry();

	static final ReleaseMetrics METRICS = new ReleaseMetrics(METERS, (JdbcTemplate) null, Clock.systemUTC());

	static final ReleaseService releases = mock(ReleaseService.class);

	static final ProdBackupCheck backupCheck = mock(ProdBackupCheck.class);

	static final ReleaseSchedule schedule = mock(ReleaseSchedule.class);

	static final String BUILD = "2026.11.25-1";

	/** The environments the stand-in deploy was called for, in order. */
	static final List<Map<String, Object>> deploys = new ArrayList<>();

	static volatile boolean deployFails;

	/** The variables the stand-in backup was called with, in order. */
	static final List<Map<String, Object>> backups = new ArrayList<>();

	/** The outcome the stand-in backup ends with, and its reason. */
	static volatile String backupOutcome;

	static volatile String backupFailure;

	@RegisterExtension
	static ProcessEngineExtension engine = ProcessEngineExtension.builder()
		.configurationResource("process-test.camunda.cfg.xml")
		.build();

	/**
	 * Notifications as when no channel is set (ReleaseNotificationsProcessTest has them
	 * on).
	 */
	static final ReleaseNotices NOTICES_OFF = new ReleaseNotices(au.edu.unimelb.reporting.ops.support.TestNotices.off(),
			new ReleaseSettings(java.time.Duration.ofHours(4), java.time.Duration.ofDays(3),
					java.time.Duration.ofHours(26), java.time.Duration.ofMinutes(1), java.time.Duration.ofHours(3), 1));

	@BeforeAll
	static void registerDelegates() {
		Mocks.register("releaseSchedule", schedule);
		Mocks.register("acceptRelease", new AcceptReleaseDelegate(releases));
		Mocks.register("prepareUat", new PrepareUatDelegate(releases));
		Mocks.register("identityRoles", IdentityRoles.CONFIGURED);
		Mocks.register("uatTask", new UatTaskListener(releases, IdentityRoles.CONFIGURED, NOTICES_OFF, METRICS));
		Mocks.register("remindTesters", new RemindTestersDelegate(releases, NOTICES_OFF));
		Mocks.register("checkProdBackup", new CheckProdBackupDelegate(backupCheck));
		Mocks.register("finishRelease", new FinishReleaseListener(releases));
		Mocks.register("releaseOutcome", new ReleaseOutcomeListener());
		Mocks.register("uatExpired", new UatExpiredListener(releases, NOTICES_OFF, METRICS));
		Mocks.register("deployStub", (JavaDelegate) ReleaseProcessTest::deploy);
		Mocks.register("backupStub", (JavaDelegate) ReleaseProcessTest::backup);
	}

	static void backup(DelegateExecution execution) {
		backups.add(new java.util.HashMap<>(execution.getVariables()));
		execution.setVariable("outcome", backupOutcome);
		execution.setVariable("failureReason", backupFailure);
	}

	static void deploy(DelegateExecution execution) {
		deploys.add(new java.util.HashMap<>(execution.getVariables()));
		if (deployFails) {
			execution.setVariable("failureReason", "Stack reporting_qa_9 is CREATE_FAILED: no valid host");
			throw new BpmnError("DEPLOY_FAILED");
		}
	}

	@AfterAll
	static void resetMocks() {
		Mocks.reset();
	}

	@BeforeEach
	void stubs() {
		reset(releases, backupCheck, schedule);
		deploys.clear();
		deployFails = false;
		backups.clear();
		backupOutcome = "BACKED_UP";
		backupFailure = null;
		when(schedule.getReminderAfter()).thenReturn("PT4H");
		when(schedule.getBackupWait()).thenReturn("PT1M");
		backupIs(ReleaseProcess.BACKUP_FRESH);
		when(schedule.getApprovalDeadline()).thenReturn("P3D");
		when(releases.settings())
			.thenReturn(new ReleaseSettings(java.time.Duration.ofHours(4), java.time.Duration.ofDays(3),
					java.time.Duration.ofHours(26), java.time.Duration.ofMinutes(1), java.time.Duration.ofHours(3), 1));
		when(releases.prepareUat(anyString(), eq(BUILD))).thenReturn(new UatContext("https://qa.reporting.example/",
				"reporting_qa_7", Instant.parse("2026-11-24T14:30:05Z"), 1));
		identityService().saveUser(identityService().newUser("tom"));
		identityService().saveGroup(identityService().newGroup("testers"));
		identityService().createMembership("tom", "testers");
	}

	static double decisions(String outcome) {
		return METERS.get("reporting.release.decisions").tag("outcome", outcome).counter().count();
	}

	@org.junit.jupiter.api.AfterEach
	void removeUsers() {
		identityService().deleteMembership("tom", "testers");
		identityService().deleteGroup("testers");
		identityService().deleteUser("tom");
	}

	@Test
	void approvedGoesFromQaThroughUatToProd() {
		answer(new Decision(ReleaseProcess.APPROVED, "tom", Instant.parse("2026-11-25T03:00:00Z"), "looks good",
				"Approved by tom: looks good",
				List.of(new Approval("tom", Instant.parse("2026-11-25T03:00:00Z"), "looks good")), 1));

		ProcessInstance release = startAsJenkins(Map.of("build", BUILD, "requestedBy", "tess"));
		assertThat(release).isWaitingAt("Task_PrepareUat");
		org.assertj.core.api.Assertions.assertThat(deploys)
			.singleElement()
			.satisfies((qa) -> org.assertj.core.api.Assertions.assertThat(qa)
				.containsEntry("environment", "qa")
				.containsEntry("build", BUILD)
				.doesNotContainKeys("releaseId", "releaseStartedBy"));
		ProcessJobs.run(release, "Task_PrepareUat");
		assertThat(release).isWaitingAt("Task_UatApproval")
			.variables()
			.containsEntry("qaUrl", "https://qa.reporting.example/")
			.containsEntry("qaStackName", "reporting_qa_7")
			.containsEntry("qaDataAsOf", "2026-11-24T14:30:05Z");
		Task task = uatTask(release);
		org.assertj.core.api.Assertions.assertThat(task.getName()).isEqualTo("UAT approval of build " + BUILD);
		org.assertj.core.api.Assertions.assertThat(taskService().getIdentityLinksForTask(task.getId()))
			.anySatisfy((link) -> org.assertj.core.api.Assertions.assertThat(link.getGroupId()).isEqualTo("testers"));
		org.assertj.core.api.Assertions
			.assertThat(authorizationService().createAuthorizationQuery()
				.authorizationType(Authorization.AUTH_TYPE_REVOKE)
				.resourceType(Resources.TASK)
				.resourceId(task.getId())
				.list())
			.extracting(Authorization::getUserId)
			.containsExactlyInAnyOrder("jenkins", "tess");

		double approved = decisions("approved");
		long timed = METERS.get("reporting.release.decision.duration").timer().count();
		completeAs("tom", task, "approve", "looks good");
		verify(releases).decide(release.getId(), BUILD, "reporting_qa_7", "jenkins", "tess", "tom", true, "approve",
				"looks good");
		org.assertj.core.api.Assertions.assertThat(decisions("approved")).isEqualTo(approved + 1);
		org.assertj.core.api.Assertions.assertThat(METERS.get("reporting.release.decision.duration").timer().count())
			.as("timed from the QA deploy's end")
			.isEqualTo(timed + 1);
		assertThat(release).isWaitingAt("Task_CheckProdBackup");
		ProcessJobs.run(release, "Task_CheckProdBackup", "CallActivity_DeployProd");

		assertThat(release).isEnded().hasPassed("EndEvent_Released").hasNotPassed("CallActivity_TakeBackup");
		org.assertj.core.api.Assertions.assertThat(backups).isEmpty();
		org.assertj.core.api.Assertions.assertThat(deploys).hasSize(2);
		org.assertj.core.api.Assertions.assertThat(deploys.get(1))
			.containsEntry("environment", "prod")
			.containsEntry("build", BUILD)
			// the deploy reads the approval from the release's record, not from variables
			.doesNotContainKeys("approvedBy", "approvedAt", "approvalComment");
		verify(releases).finish(release.getId(), ReleaseProcess.RELEASED, "Approved by tom: looks good");
		org.assertj.core.api.Assertions
			.assertThat(historyService().createHistoricVariableInstanceQuery()
				.processInstanceId(release.getId())
				.variableName("decidedBy")
				.singleResult()
				.getValue())
			.isEqualTo("tom");
	}

	@Test
	void aFailedProdDeployEndsTheReleaseFailedWithItsReason() {
		answer(new Decision(ReleaseProcess.APPROVED, "tom", Instant.parse("2026-11-25T03:00:00Z"), "ok",
				"Approved by tom: ok", List.of(new Approval("tom", Instant.parse("2026-11-25T03:00:00Z"), "ok")), 1));
		ProcessInstance release = startAsJenkins(Map.of("build", BUILD, "requestedBy", "tess"));
		ProcessJobs.run(release, "Task_PrepareUat");
		completeAs("tom", uatTask(release), "approve", "ok");
		deployFails = true;
		ProcessJobs.run(release, "Task_CheckProdBackup", "CallActivity_DeployProd");
		assertThat(release).isEnded().hasPassed("EndEvent_ProdDeployFailed");
		verify(releases).finish(release.getId(), ReleaseProcess.FAILED,
				"Stack reporting_qa_9 is CREATE_FAILED: no valid host");
	}

	@Test
	void rejectedEndsWithNothingOnProd() {
		answer(new Decision(ReleaseProcess.REJECTED, "tom", Instant.now(), "login broken",
				"Rejected by tom: login broken", List.of(), 1));
		ProcessInstance release = startAsJenkins(Map.of("build", BUILD));
		ProcessJobs.run(release, "Task_PrepareUat");
		completeAs("tom", uatTask(release), "reject", "login broken");

		assertThat(release).isEnded().hasPassed("EndEvent_Rejected").hasNotPassed("CallActivity_DeployProd");
		org.assertj.core.api.Assertions.assertThat(deploys).hasSize(1);
		verify(releases).finish(release.getId(), ReleaseProcess.REJECTED, "Rejected by tom: login broken");
	}

	@Test
	void aRefusedAnswerLeavesTheTaskOpen() {
		when(releases.decide(anyString(), anyString(), anyString(), anyString(), isNull(), anyString(), anyBoolean(),
				anyString(), any()))
			.thenThrow(RequestRefusedException.badInput("A rejection needs a comment"));
		ProcessInstance release = startAsJenkins(Map.of("build", BUILD));
		ProcessJobs.run(release, "Task_PrepareUat");
		Task task = uatTask(release);

		assertThatThrownBy(() -> completeAs("tom", task, "reject", "")).hasMessageContaining("needs a comment");
		assertThat(release).isWaitingAt("Task_UatApproval");
	}

	@Test
	void anAnswerAfterQaWasRedeployedIsRefusedAndEndsTheRelease() {
		answer(new Decision(ReleaseProcess.QA_CHANGED, "tom", Instant.now(), "ok",
				"QA was redeployed while build 2026.11.25-1 waited for UAT", List.of(), 1));
		ProcessInstance release = startAsJenkins(Map.of("build", BUILD));
		ProcessJobs.run(release, "Task_PrepareUat");
		completeAs("tom", uatTask(release), "approve", "ok");

		assertThat(release).isEnded().hasPassed("EndEvent_QaChanged").hasNotPassed("Task_CheckProdBackup");
		verify(releases).finish(release.getId(), ReleaseProcess.QA_CHANGED,
				"QA was redeployed while build 2026.11.25-1 waited for UAT");
	}

	@Test
	void aReminderCommentsOnTheTaskWhichStaysOpen() {
		ProcessInstance release = startAsJenkins(Map.of("build", BUILD));
		ProcessJobs.run(release, "Task_PrepareUat", "Timer_UatReminder");

		assertThat(release).isWaitingAt("Task_UatApproval").hasPassed("Task_RemindTesters");
		Task task = uatTask(release);
		org.assertj.core.api.Assertions.assertThat(taskService().getTaskComments(task.getId()))
			.singleElement()
			.satisfies((comment) -> org.assertj.core.api.Assertions.assertThat(comment.getFullMessage())
				.contains("Reminder: build " + BUILD + " has waited for UAT for 4h"));
		org.assertj.core.api.Assertions.assertThat(task.getPriority()).isEqualTo(80);
	}

	@Test
	void noAnswerByTheDeadlineExpiresTheRelease() {
		when(releases.expiredReason(anyString(), eq(BUILD)))
			.thenReturn("No tester approved or rejected build " + BUILD + " before the UAT deadline");
		ProcessInstance release = startAsJenkins(Map.of("build", BUILD));
		double expired = decisions("expired");
		ProcessJobs.run(release, "Task_PrepareUat", "Timer_UatDeadline");
		org.assertj.core.api.Assertions.assertThat(decisions("expired")).isEqualTo(expired + 1);

		assertThat(release).isEnded().hasPassed("EndEvent_Expired");
		org.assertj.core.api.Assertions.assertThat(taskService().createTaskQuery().count()).isZero();
		verify(releases).finish(release.getId(), ReleaseProcess.EXPIRED,
				"No tester approved or rejected build " + BUILD + " before the UAT deadline");
	}

	@Test
	void aStaleBackupIsTakenAfreshWithoutAQaRestoreAndProdFollowsWhenItVerifies() {
		backupIs(ReleaseProcess.BACKUP_STALE);
		ProcessInstance release = approved();
		ProcessJobs.run(release, "Task_CheckProdBackup");

		assertThat(release).hasPassed("CallActivity_TakeBackup").isWaitingAt("CallActivity_DeployProd");
		org.assertj.core.api.Assertions.assertThat(backups)
			.singleElement()
			.satisfies((backup) -> org.assertj.core.api.Assertions.assertThat(backup)
				.containsEntry("forRelease", true)
				.containsEntry("releaseId", release.getId()));
		ProcessJobs.run(release, "CallActivity_DeployProd");
		assertThat(release).isEnded().hasPassed("EndEvent_Released");
		org.assertj.core.api.Assertions.assertThat(deploys).hasSize(2);
	}

	@Test
	void aFreshBackupThatFailsEndsTheReleaseAsBackupFailedWithProdUntouched() {
		backupIs(ReleaseProcess.BACKUP_STALE);
		backupOutcome = "INCOMPLETE";
		backupFailure = "Not verified: daily (daily failed: duplicity full to swift://reporting-daily failed: exit 50)";
		ProcessInstance release = approved();
		ProcessJobs.run(release, "Task_CheckProdBackup");

		assertThat(release).isEnded().hasPassed("EndEvent_BackupFailed").hasNotPassed("CallActivity_DeployProd");
		org.assertj.core.api.Assertions.assertThat(deploys).as("QA only").hasSize(1);
		verify(releases).finish(release.getId(), ReleaseProcess.BACKUP_FAILED, "Prod was not deployed (build " + BUILD
				+ "): the fresh Prod backup taken before it ended INCOMPLETE: " + backupFailure);
	}

	@Test
	void aBackupRunningAtThatMomentIsWaitedForAndItsResultTaken() {
		backupIs(ReleaseProcess.BACKUP_BUSY);
		ProcessInstance release = approved();
		ProcessJobs.run(release, "Task_CheckProdBackup");
		assertThat(release).isWaitingAt("Timer_WaitForBackup");
		ProcessJobs.run(release, "Timer_WaitForBackup", "Task_CheckProdBackup");
		assertThat(release).isWaitingAt("Timer_WaitForBackup");

		// the nightly run ended with a verified set: no backup of the release's own
		backupIs(ReleaseProcess.BACKUP_FRESH);
		ProcessJobs.run(release, "Timer_WaitForBackup", "Task_CheckProdBackup", "CallActivity_DeployProd");
		assertThat(release).isEnded().hasPassed("EndEvent_Released").hasNotPassed("CallActivity_TakeBackup");
		org.assertj.core.api.Assertions.assertThat(backups).isEmpty();
		org.assertj.core.api.Assertions
			.assertThat(runtimeService().createIncidentQuery().processInstanceId(release.getId()).count())
			.isZero();
	}

	private ProcessInstance approved() {
		answer(new Decision(ReleaseProcess.APPROVED, "tom", Instant.now(), "", "Approved by tom",
				List.of(new Approval("tom", Instant.now(), "")), 1));
		ProcessInstance release = startAsJenkins(Map.of("build", BUILD));
		ProcessJobs.run(release, "Task_PrepareUat");
		completeAs("tom", uatTask(release), "approve", "");
		return release;
	}

	private static void backupIs(String state) {
		when(backupCheck.check(eq(BUILD), any()))
			.thenReturn(new ProdBackupCheck.BackupCheck(state, "the backup is " + state));
	}

	@Test
	void aFailedQaDeployEndsTheReleaseWithItsReason() {
		deployFails = true;
		ProcessInstance release = startAsJenkins(Map.of("build", BUILD));

		assertThat(release).isEnded().hasPassed("EndEvent_QaDeployFailed").hasNotPassed("Task_UatApproval");
		verify(releases).finish(release.getId(), ReleaseProcess.FAILED,
				"Stack reporting_qa_9 is CREATE_FAILED: no valid host");
	}

	@Test
	void aRefusedStartStartsNothing() {
		doThrow(RequestRefusedException
			.lockedByAnotherRun(new LockHeldException("release", "r0", "jenkins", "2026-11-24 22:00:00.0")))
			.when(releases)
			.acceptRelease(anyString(), eq(BUILD), eq("jenkins"), isNull());

		assertThatThrownBy(() -> startAsJenkins(Map.of("build", BUILD)))
			.hasMessageContaining("Locked by another run: release is held by process instance r0");
		org.assertj.core.api.Assertions.assertThat(historyService().createHistoricProcessInstanceQuery().count())
			.isZero();
		org.assertj.core.api.Assertions.assertThat(deploys).isEmpty();
		verify(releases, never()).finish(anyString(), anyString(), any());
	}

	private void answer(Decision decision) {
		when(releases.decide(anyString(), anyString(), anyString(), anyString(), any(), anyString(), anyBoolean(),
				anyString(), any()))
			.thenReturn(decision);
	}

	private ProcessInstance startAsJenkins(Map<String, Object> variables) {
		identityService().setAuthenticatedUserId("jenkins");
		try {
			return runtimeService().startProcessInstanceByKey(ReleaseProcess.KEY, variables);
		}
		finally {
			identityService().clearAuthentication();
		}
	}

	private void completeAs(String user, Task task, String decision, String comment) {
		UatTasks.answer(user, task, decision, comment);
	}

	private static Task uatTask(ProcessInstance release) {
		return UatTasks.of(release);
	}

	@Test
	void throwsAndCatchesOnlyTheErrorsItsConstantsName() {
		Assertions.assertThat(ProcessJobs.errorCodes(ReleaseProcess.KEY))
			.containsExactlyInAnyOrder(ReleaseProcess.ERROR_RELEASE_FAILED,
					au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.ERROR_DEPLOY_FAILED);
	}

}
