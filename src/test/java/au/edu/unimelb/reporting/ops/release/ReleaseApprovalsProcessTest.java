package au.edu.unimelb.reporting.ops.release;

import java.time.Clock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.jdbc.core.JdbcTemplate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings;
import au.edu.unimelb.reporting.ops.deploy.ApprovalList;
import au.edu.unimelb.reporting.ops.deploy.DeploymentRecord;
import au.edu.unimelb.reporting.ops.deploy.DeploymentRecords;
import au.edu.unimelb.reporting.ops.deploy.ReleaseApprovals.Approval;
import au.edu.unimelb.reporting.ops.deploy.ReleaseApprovals.ReleaseApproval;
import au.edu.unimelb.reporting.ops.lock.Locks;
import au.edu.unimelb.reporting.ops.nightly.BackupRecords;
import au.edu.unimelb.reporting.ops.security.IdentityRoles;
import au.edu.unimelb.reporting.ops.support.ProcessJobs;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.history.HistoricDetail;
import org.camunda.bpm.engine.history.HistoricVariableUpdate;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.core.io.FileSystemResource;
import org.springframework.jdbc.datasource.init.ScriptUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.historyService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.identityService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.managementService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.taskService;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * The approval rules of {@code processes/release.bpmn} with the real
 * {@link ReleaseService} and its records ({@code ops_release},
 * {@code ops_release_approval} from {@code schema.sql}, on an in-memory H2 of their own):
 * only what QA serves, the backups and the locks are replaced, and deploy-replace and
 * nightly-backup are one-step stand-ins. The stand-in Prod deploy reads the approval the
 * way the real one does, from the calling release's record
 * ({@link ReleaseRecords#approvalOf}), never from variables.
 */
@Deployment(resources = { "processes/release.bpmn", "release-test/deploy-replace-stub.bpmn",
		"release-test/nightly-backup-stub.bpmn" })
class ReleaseApprovalsProcessTest {

	static final SimpleMeterRegistry METERS = new SimpleMeterRegistry();

	static final ReleaseMetrics METRICS = new ReleaseMetrics(METERS, (JdbcTemplate) null, Clock.systemUTC());

	static final String BUILD = "2026.11.25-1";

	static final JdbcTemplate jdbc = database();

	static final ReleaseRecords records = new ReleaseRecords(jdbc);

	static final DeploymentRecords deployments = mock(DeploymentRecords.class);

	static final ProdBackupCheck backupCheck = mock(ProdBackupCheck.class);

	static final ReleaseSchedule schedule = mock(ReleaseSchedule.class);

	/** The number of approvals the next release starts with. */
	static int required;

	static ReleaseService releases;

	/** What each stand-in deploy was called for, and what the release's record said. */
	static final List<Map<String, Object>> deploys = new ArrayList<>();

	static final List<ReleaseApproval> prodApprovals = new ArrayList<>();

	@RegisterExtension
	static ProcessEngineExtension engine = ProcessEngineExtension.builder()
		.configurationResource("process-test.camunda.cfg.xml")
		.build();

	static JdbcTemplate database() {
		JdbcDataSource h2 = new JdbcDataSource();
		h2.setURL("jdbc:h2:mem:release-approvals;DB_CLOSE_DELAY=-1");
		JdbcTemplate template = new JdbcTemplate(h2);
		template.execute((java.sql.Connection connection) -> {
			ScriptUtils.executeSqlScript(connection, new FileSystemResource("src/main/resources/schema.sql"));
			return null;
		});
		return template;
	}

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
		Mocks.register("acceptRelease",
				(JavaDelegate) (execution) -> new AcceptReleaseDelegate(releases).execute(execution));
		Mocks.register("prepareUat", (JavaDelegate) (execution) -> new PrepareUatDelegate(releases).execute(execution));
		Mocks.register("identityRoles", IdentityRoles.CONFIGURED);
		Mocks.register("uatTask", (org.camunda.bpm.engine.delegate.TaskListener) (
				task) -> new UatTaskListener(releases, IdentityRoles.CONFIGURED, NOTICES_OFF, METRICS).notify(task));
		Mocks.register("remindTesters",
				(JavaDelegate) (execution) -> new RemindTestersDelegate(releases, NOTICES_OFF).execute(execution));
		Mocks.register("checkProdBackup", new CheckProdBackupDelegate(backupCheck));
		Mocks.register("finishRelease",
				(org.camunda.bpm.engine.delegate.ExecutionListener) (execution) -> new FinishReleaseListener(releases)
					.notify(execution));
		Mocks.register("releaseOutcome", new ReleaseOutcomeListener());
		Mocks.register("uatExpired", (org.camunda.bpm.engine.delegate.ExecutionListener) (
				execution) -> new UatExpiredListener(releases, NOTICES_OFF, METRICS).notify(execution));
		Mocks.register("deployStub", (JavaDelegate) ReleaseApprovalsProcessTest::deploy);
		Mocks.register("backupStub", (JavaDelegate) (execution) -> execution.setVariable("outcome", "BACKED_UP"));
	}

	static void deploy(DelegateExecution execution) {
		deploys.add(new HashMap<>(execution.getVariables()));
		if ("prod".equals(execution.getVariable("environment"))) {
			prodApprovals
				.add(records.approvalOf(execution.getProcessInstance().getSuperExecution().getProcessInstanceId())
					.orElseThrow());
		}
	}

	@AfterAll
	static void resetMocks() {
		Mocks.reset();
	}

	@BeforeEach
	void aReleaseOf() {
		jdbc.update("DELETE FROM ops_release_approval");
		jdbc.update("DELETE FROM ops_release");
		deploys.clear();
		prodApprovals.clear();
		required = 2;
		when(schedule.getReminderAfter()).thenReturn("PT4H");
		when(schedule.getApprovalDeadline()).thenReturn("P3D");
		when(schedule.getBackupWait()).thenReturn("PT1M");
		when(backupCheck.check(org.mockito.ArgumentMatchers.eq(BUILD), org.mockito.ArgumentMatchers.any()))
			.thenReturn(new ProdBackupCheck.BackupCheck(ReleaseProcess.BACKUP_FRESH, "fresh"));
		qaServes("d-qa-7", BUILD, "reporting_qa_7");
		releases = new ReleaseService(settings(), mockEnvironments(), deployments, mock(BackupRecords.class), records,
				mock(Locks.class));
		for (String user : List.of("tom", "tina", "tess", "jenkins")) {
			identityService().saveUser(identityService().newUser(user));
		}
		identityService().saveGroup(identityService().newGroup("testers"));
		for (String user : List.of("tom", "tina", "tess", "jenkins")) {
			identityService().createMembership(user, "testers");
		}
	}

	static ReleaseSettings settings() {
		return new ReleaseSettings(Duration.ofHours(4), Duration.ofDays(3), Duration.ofHours(26), Duration.ofMinutes(1),
				Duration.ofHours(3), required);
	}

	@AfterEach
	void removeUsers() {
		for (String user : List.of("tom", "tina", "tess", "jenkins")) {
			identityService().deleteMembership(user, "testers");
			identityService().deleteUser(user);
		}
		identityService().deleteGroup("testers");
	}

	@Test
	void oneRequiredApprovalGoesToProdAsBefore() {
		required = 1;
		releases = new ReleaseService(settings(), mockEnvironments(), deployments, mock(BackupRecords.class), records,
				mock(Locks.class));
		ProcessInstance release = inUat();
		assertThat(uatTask(release).getName()).isEqualTo("UAT approval of build " + BUILD);

		approve("tom", release, "looks good");

		toProd(release);
		assertThat(prodApprovals).singleElement().satisfies((approval) -> {
			assertThat(approval.approved()).isTrue();
			assertThat(approval.approvalsRequired()).isEqualTo(1);
			assertThat(approval.approvals()).extracting(Approval::user).containsExactly("tom");
		});
		assertThat(variable(release, "approvedBy")).isEqualTo("tom");
		assertThat(variable(release, "approvalComment")).isEqualTo("looks good");
		assertThat(records.find(release.getId()).orElseThrow().detail()).isEqualTo("Approved by tom: looks good");
	}

	@Test
	void twoRequiredApprovalsAskASecondTesterThenGoToProd() {
		ProcessInstance release = inUat();
		assertThat(variable(release, "uatApprovalsRequired")).isEqualTo(2);
		assertThat(variable(release, "uatApprovalsNeeded")).isEqualTo(2);
		assertThat(uatTask(release).getName())
			.isEqualTo("UAT approval of build " + BUILD + " (0 of 2 approvals given)");

		approve("tom", release, "reports fine");

		org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat(release)
			.isWaitingAt(ReleaseProcess.TASK_UAT);
		Task second = uatTask(release);
		assertThat(second.getName()).isEqualTo("UAT approval of build " + BUILD + " (1 of 2 approvals given)");
		assertThat(variable(release, "uatOutcome")).isEqualTo(ReleaseProcess.PARTLY_APPROVED);
		assertThat(variable(release, "uatApprovalsNeeded")).isEqualTo(1);
		assertThat(ApprovalList.fromJson((String) variable(release, "uatApprovals"))).extracting(Approval::user)
			.containsExactly("tom");
		assertThat(variable(release, "uatMessage")).isEqualTo(
				"Approved by tom: reports fine (1 of 2 approvals; 1 more approval is needed from another tester)");
		// the next tester's form does not come with tom's answer filled in
		assertThat(variable(release, "uatDecision")).isNull();
		assertThat(variable(release, "uatComment")).isNull();
		assertThat(prodApprovals).isEmpty();

		approve("tina", release, "login fine");

		toProd(release);
		assertThat(prodApprovals).singleElement().satisfies((approval) -> {
			assertThat(approval.approved()).isTrue();
			assertThat(approval.approvals()).extracting(Approval::user, Approval::comment)
				.containsExactly(org.assertj.core.groups.Tuple.tuple("tom", "reports fine"),
						org.assertj.core.groups.Tuple.tuple("tina", "login fine"));
		});
		assertThat(variable(release, "approvedBy")).isEqualTo("tom,tina");
		assertThat(variable(release, "approvalComment")).isEqualTo("tom: reports fine; tina: login fine");
		assertThat(records.find(release.getId()).orElseThrow().detail())
			.isEqualTo("Approved by tina: login fine (2 of 2 approvals: tom, tina)");
		// history keeps each tester's answer: two UAT tasks, and every update of the
		// decision
		assertThat(historyService().createHistoricTaskInstanceQuery()
			.processInstanceId(release.getId())
			.taskDefinitionKey(ReleaseProcess.TASK_UAT)
			.finished()
			.count()).isEqualTo(2);
		assertThat(updates(release, "uatComment")).containsSubsequence("reports fine", "login fine");
		assertThat(deploys.get(1)).doesNotContainKeys("approvedBy", "approvedAt", "approvalComment", "uatApprovals");
	}

	@Test
	void aRejectionAfterOneApprovalEndsTheRelease() {
		ProcessInstance release = inUat();
		approve("tom", release, "fine for me");

		answer("tina", release, "reject", "the export is broken");

		org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat(release)
			.isEnded()
			.hasPassed(ReleaseProcess.END_REJECTED)
			.hasNotPassed(ReleaseProcess.CALL_DEPLOY_PROD);
		ReleaseRecords.Release record = records.find(release.getId()).orElseThrow();
		assertThat(record.outcome()).isEqualTo(ReleaseProcess.REJECTED);
		assertThat(record.detail()).isEqualTo("Rejected by tina: the export is broken (after 1 of 2 approvals: tom)");
		assertThat(records.approvalOf(release.getId()).orElseThrow().approved()).isFalse();
		assertThat(deploys).as("QA only").hasSize(1);
	}

	@Test
	void theSameTesterApprovingTwiceCountsOnce() {
		ProcessInstance release = inUat();
		approve("tom", release, "fine");
		Task second = uatTask(release);

		assertThatThrownBy(() -> answer("tom", release, "approve", "still fine"))
			.hasMessageContaining("You approved build " + BUILD + " already")
			.hasMessageContaining("1 more approval is needed from other testers; you can still reject it");

		org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat(release)
			.isWaitingAt(ReleaseProcess.TASK_UAT);
		assertThat(uatTask(release).getId()).as("the task stays open for another tester").isEqualTo(second.getId());
		assertThat(records.approvals(release.getId())).extracting(Approval::user).containsExactly("tom");
		assertThat(variable(release, "uatApprovalsNeeded")).isEqualTo(1);

		approve("tina", release, "ok");
		toProd(release);
		assertThat(prodApprovals.get(0).approvals()).extracting(Approval::user).containsExactly("tom", "tina");
	}

	@Test
	void aTesterWhoApprovedMayStillReject() {
		ProcessInstance release = inUat();
		approve("tom", release, "fine");

		answer("tom", release, "reject", "found a broken report after all");

		org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat(release)
			.isEnded()
			.hasPassed(ReleaseProcess.END_REJECTED);
	}

	@Test
	void qaChangedBetweenTwoApprovalsVoidsTheFirstAndEndsTheRelease() {
		ProcessInstance release = inUat();
		approve("tom", release, "fine");
		// QA was redeployed with another build, then rolled back to the same stack:
		// another
		// run serves it now
		qaServes("d-qa-rollback", BUILD, "reporting_qa_7");

		answer("tina", release, "approve", "ok");

		org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat(release)
			.isEnded()
			.hasPassed(ReleaseProcess.END_QA_CHANGED)
			.hasNotPassed(ReleaseProcess.TASK_CHECK_BACKUP);
		assertThat(records.approvals(release.getId())).as("tom's approval is void").isEmpty();
		assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM ops_release_approval WHERE voided_at IS NOT NULL",
				Integer.class))
			.as("kept on record, voided")
			.isEqualTo(1);
		assertThat(records.approvalOf(release.getId()).orElseThrow().approved()).isFalse();
		assertThat(variable(release, "uatApprovals")).isEqualTo("[]");
		assertThat(records.find(release.getId()).orElseThrow().detail()).contains("The approval by tina is refused")
			.contains("the approvals given before (tom) are void and the release ends");
		assertThat(deploys).as("QA only").hasSize(1);
	}

	@Test
	void theStarterAndTheRequesterMayNotApprove() {
		ProcessInstance release = inUat();

		assertThatThrownBy(() -> answer("jenkins", release, "approve", "")).hasMessageContaining("You started");
		assertThatThrownBy(() -> answer("tess", release, "approve", "")).hasMessageContaining("You started");
		approve("tom", release, "fine");
		assertThatThrownBy(() -> answer("tess", release, "approve", "")).hasMessageContaining("You started");

		assertThat(records.approvals(release.getId())).extracting(Approval::user).containsExactly("tom");
		org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat(release)
			.isWaitingAt(ReleaseProcess.TASK_UAT);
	}

	@Test
	void theDeadlineAndTheReminderAreForTheWholeUatNotEachApproval() {
		ProcessInstance release = inUat();
		Date deadline = job(release, ReleaseProcess.TIMER_DEADLINE).getDuedate();
		Date reminder = job(release, ReleaseProcess.TIMER_REMINDER).getDuedate();

		approve("tom", release, "fine");

		assertThat(job(release, ReleaseProcess.TIMER_DEADLINE).getDuedate()).isEqualTo(deadline);
		assertThat(job(release, ReleaseProcess.TIMER_REMINDER).getDuedate()).isEqualTo(reminder);
		ProcessJobs.run(release, ReleaseProcess.TIMER_REMINDER);
		assertThat(taskService().getTaskComments(uatTask(release).getId())).singleElement()
			.satisfies((comment) -> assertThat(comment.getFullMessage()).contains("Reminder: build " + BUILD));
		assertThat(job(release, ReleaseProcess.TIMER_REMINDER)).as("reminded once").isNull();
	}

	@Test
	void expiryWithOneOfTwoApprovalsSaysWhoApprovedAndWhatIsMissing() {
		ProcessInstance release = inUat();
		approve("tom", release, "fine");

		ProcessJobs.run(release, ReleaseProcess.TIMER_DEADLINE);

		org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat(release)
			.isEnded()
			.hasPassed(ReleaseProcess.END_EXPIRED)
			.hasNotPassed(ReleaseProcess.CALL_DEPLOY_PROD);
		assertThat(taskService().createTaskQuery().processInstanceId(release.getId()).count()).isZero();
		ReleaseRecords.Release record = records.find(release.getId()).orElseThrow();
		assertThat(record.outcome()).isEqualTo(ReleaseProcess.EXPIRED);
		assertThat(record.detail()).isEqualTo("Build " + BUILD + " had 1 of 2 approvals (tom) at the UAT deadline: "
				+ "1 more approval is needed and nobody rejected it");
		assertThat(records.approvalOf(release.getId()).orElseThrow().approved()).isFalse();
	}

	@Test
	void theRequiredNumberIsTheOneTheReleaseStartedWith() {
		ProcessInstance release = inUat();
		required = 1;
		releases = new ReleaseService(settings(), mockEnvironments(), deployments, mock(BackupRecords.class), records,
				mock(Locks.class));

		approve("tom", release, "fine");

		org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat(release)
			.isWaitingAt(ReleaseProcess.TASK_UAT);
	}

	/**
	 * From the hostile read: the approvers' comments joined once went into a string
	 * variable uncut, and two long ones made the last approval fail in the database,
	 * again and again, until the release expired.
	 */
	@Test
	void twoLongCommentsStillReachProd() {
		ProcessInstance release = inUat();
		approve("tom", release, "a".repeat(2000));
		approve("tina", release, "b".repeat(2000));
		toProd(release);
		assertThat(((String) historicValue(release, "approvalComment")).length())
			.isLessThanOrEqualTo(UatTaskListener.VARIABLE_LIMIT);
	}

	/**
	 * From the hostile read: comments were cut before JSON escaping, so control
	 * characters (six characters each, escaped) overflowed the approvals variable.
	 */
	@Test
	void commentsThatGrowWhenEscapedStillReachProd() {
		required = 4;
		releases = new ReleaseService(settings(), mockEnvironments(), deployments, mock(BackupRecords.class), records,
				mock(Locks.class));
		List<String> more = List.of("tara", "tia");
		for (String user : more) {
			identityService().saveUser(identityService().newUser(user));
			identityService().createMembership(user, "testers");
		}
		try {
			ProcessInstance release = inUat();
			String comment = "\u0001\"".repeat(199);
			for (String tester : List.of("tom", "tina", "tara", "tia")) {
				approve(tester, release, comment);
			}
			toProd(release);
		}
		finally {
			for (String user : more) {
				identityService().deleteMembership(user, "testers");
				identityService().deleteUser(user);
			}
		}
	}

	/**
	 * From the hostile read: a tester's completion may carry any variables; who approved
	 * is only what the engine counted, never a value brought along.
	 */
	@Test
	void approversBroughtAlongWithAnAnswerAreNotKept() {
		ProcessInstance release = inUat();
		Map<String, Object> answer = new HashMap<>();
		answer.put("uatDecision", "approve");
		answer.put("uatComment", "x");
		answer.put("uatOutcome", "APPROVED");
		answer.put("approvedBy", "tom,tina");
		answer.put("approvedAt", "2026-01-01T00:00:00Z");
		answer.put("approvalComment", "forged");
		UatTasks.complete("tom", uatTask(release), answer);
		org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat(release)
			.isWaitingAt(ReleaseProcess.TASK_UAT);
		for (String name : List.of("approvedBy", "approvedAt", "approvalComment")) {
			assertThat(runtimeService().getVariable(release.getId(), name)).as(name).isNull();
		}
		assertThat(runtimeService().getVariable(release.getId(), "uatOutcome")).isNotEqualTo("APPROVED");
	}

	private static Object historicValue(ProcessInstance release, String name) {
		return historyService().createHistoricVariableInstanceQuery()
			.processInstanceId(release.getId())
			.variableName(name)
			.singleResult()
			.getValue();
	}

	private ProcessInstance inUat() {
		identityService().setAuthenticatedUserId("jenkins");
		ProcessInstance release;
		try {
			release = runtimeService().startProcessInstanceByKey(ReleaseProcess.KEY,
					Map.of("build", BUILD, "requestedBy", "tess"));
		}
		finally {
			identityService().clearAuthentication();
		}
		ProcessJobs.run(release, ReleaseProcess.TASK_PREPARE_UAT);
		org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat(release)
			.isWaitingAt(ReleaseProcess.TASK_UAT);
		return release;
	}

	private void toProd(ProcessInstance release) {
		ProcessJobs.run(release, ReleaseProcess.TASK_CHECK_BACKUP, ReleaseProcess.CALL_DEPLOY_PROD);
		org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat(release)
			.isEnded()
			.hasPassed(ReleaseProcess.END_RELEASED);
	}

	private static void approve(String user, ProcessInstance release, String comment) {
		answer(user, release, "approve", comment);
	}

	private static void answer(String user, ProcessInstance release, String decision, String comment) {
		UatTasks.answer(user, uatTask(release), decision, comment);
	}

	private static Task uatTask(ProcessInstance release) {
		return UatTasks.of(release);
	}

	private static Job job(ProcessInstance release, String activity) {
		return managementService().createJobQuery()
			.processInstanceId(release.getId())
			.activityId(activity)
			.singleResult();
	}

	private static Object variable(ProcessInstance release, String name) {
		return historyService().createHistoricVariableInstanceQuery()
			.processInstanceId(release.getId())
			.variableName(name)
			.singleResult()
			.getValue();
	}

	private static List<Object> updates(ProcessInstance release, String name) {
		List<Object> values = new ArrayList<>();
		for (HistoricDetail detail : historyService().createHistoricDetailQuery()
			.processInstanceId(release.getId())
			.variableUpdates()
			.orderByTime()
			.asc()
			.list()) {
			if (detail instanceof HistoricVariableUpdate update && name.equals(update.getVariableName())) {
				values.add(update.getValue());
			}
		}
		return values;
	}

	private static void qaServes(String run, String build, String stack) {
		when(deployments.serving("qa")).thenReturn(Optional
			.of(new DeploymentRecord(run, "DEPLOY", "qa", build, stack, "id", "127.0.0.11:8080", null, null, "jenkins",
					Instant.now(), Instant.now(), "DEPLOYED", null, null, null, null, null, null, null, List.of())));
	}

	private static EnvironmentsSettings mockEnvironments() {
		EnvironmentsSettings environments = mock(EnvironmentsSettings.class);
		EnvironmentsSettings.EnvironmentSettings qa = mock(EnvironmentsSettings.EnvironmentSettings.class,
				RETURNS_DEEP_STUBS);
		when(qa.webFront().publicUrl()).thenReturn("https://qa.reporting.example/");
		when(environments.find(org.mockito.ArgumentMatchers.anyString())).thenReturn(Optional.of(qa));
		return environments;
	}

}
