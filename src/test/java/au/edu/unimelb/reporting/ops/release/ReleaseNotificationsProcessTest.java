package au.edu.unimelb.reporting.ops.release;

import java.time.Clock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.jdbc.core.JdbcTemplate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import au.edu.unimelb.reporting.ops.deploy.ReleaseApprovals.Approval;
import au.edu.unimelb.reporting.ops.engine.RequestRefusedException;
import au.edu.unimelb.reporting.ops.notify.NoticeEvent;
import au.edu.unimelb.reporting.ops.release.ReleaseService.Decision;
import au.edu.unimelb.reporting.ops.release.ReleaseService.UatContext;
import au.edu.unimelb.reporting.ops.security.IdentityRoles;
import au.edu.unimelb.reporting.ops.support.ProcessJobs;
import au.edu.unimelb.reporting.ops.support.TestNotices;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.identityService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.reset;
import static org.mockito.Mockito.when;

/**
 * What a release tells people, on {@code processes/release.bpmn} with the real
 * notifications (after-commit dispatch, recipients from the engine's identity service,
 * retries, counters) and the mail and webhook facades replaced: each event sends exactly
 * one message, to the right people, with the link to act on; a step that rolls back sends
 * nothing; a mail server that is down fails no step; no secret goes out.
 */
@Deployment(resources = { "processes/release.bpmn", "release-test/deploy-replace-stub.bpmn",
		"release-test/nightly-backup-stub.bpmn" })
class ReleaseNotificationsProcessTest {

	static final SimpleMeterRegistry METERS = new SimpleMeterRegistry();

	static final ReleaseMetrics METRICS = new ReleaseMetrics(METERS, (JdbcTemplate) null, Clock.systemUTC());

	static final ReleaseService releases = mock(ReleaseService.class);

	static final ProdBackupCheck backupCheck = mock(ProdBackupCheck.class);

	static final ReleaseSchedule schedule = mock(ReleaseSchedule.class);

	static final String BUILD = "2026.11.25-1";

	static final ReleaseSettings SETTINGS = new ReleaseSettings(Duration.ofHours(4), Duration.ofDays(3),
			Duration.ofHours(26), Duration.ofMinutes(1), Duration.ofHours(3), 1);

	static final Instant AT = Instant.parse("2026-11-25T03:00:00Z");

	@RegisterExtension
	static ProcessEngineExtension engine = ProcessEngineExtension.builder()
		.configurationResource("process-test.camunda.cfg.xml")
		.build();

	TestNotices notices;

	@BeforeEach
	void setUp() {
		reset(releases, backupCheck, schedule);
		this.notices = TestNotices.with(identityService());
		ReleaseNotices releaseNotices = new ReleaseNotices(this.notices.notifications, SETTINGS);
		Mocks.register("releaseSchedule", schedule);
		Mocks.register("acceptRelease", new AcceptReleaseDelegate(releases));
		Mocks.register("prepareUat", new PrepareUatDelegate(releases));
		Mocks.register("identityRoles", IdentityRoles.CONFIGURED);
		Mocks.register("uatTask", new UatTaskListener(releases, IdentityRoles.CONFIGURED, releaseNotices, METRICS));
		Mocks.register("remindTesters", new RemindTestersDelegate(releases, releaseNotices));
		Mocks.register("checkProdBackup", new CheckProdBackupDelegate(backupCheck));
		Mocks.register("finishRelease", new FinishReleaseListener(releases));
		Mocks.register("releaseOutcome", new ReleaseOutcomeListener());
		Mocks.register("uatExpired", new UatExpiredListener(releases, releaseNotices, METRICS));
		Mocks.register("deployStub", (JavaDelegate) (execution) -> {
		});
		Mocks.register("backupStub", (JavaDelegate) ReleaseNotificationsProcessTest::backedUp);
		when(schedule.getReminderAfter()).thenReturn("PT4H");
		when(schedule.getBackupWait()).thenReturn("PT1M");
		when(schedule.getApprovalDeadline()).thenReturn("P3D");
		when(backupCheck.check(eq(BUILD), any()))
			.thenReturn(new ProdBackupCheck.BackupCheck(ReleaseProcess.BACKUP_FRESH, "fresh"));
		when(releases.settings()).thenReturn(SETTINGS);
		when(releases.prepareUat(anyString(), eq(BUILD))).thenReturn(new UatContext("https://qa.reporting.example/",
				"reporting_qa_7", Instant.parse("2026-11-24T14:30:05Z"), 1));
		when(releases.expiredReason(anyString(), eq(BUILD)))
			.thenReturn("No tester approved or rejected build " + BUILD + " before the UAT deadline");
		user("tom", "tom@reporting.example", true);
		user("tina", "tina@reporting.example", true);
		user("ted", null, true);
		user("tess", "tess@reporting.example", true);
		user("jenkins", null, false);
	}

	static void backedUp(DelegateExecution execution) {
		execution.setVariable("outcome", "BACKED_UP");
	}

	private static void user(String id, String email, boolean tester) {
		User user = identityService().newUser(id);
		user.setEmail(email);
		identityService().saveUser(user);
		if (tester) {
			if (identityService().createGroupQuery().groupId("testers").count() == 0) {
				identityService().saveGroup(identityService().newGroup("testers"));
			}
			identityService().createMembership(id, "testers");
		}
	}

	@AfterEach
	void removeUsers() {
		for (String id : List.of("tom", "tina", "ted", "tess", "jenkins")) {
			identityService().deleteUser(id);
		}
		identityService().deleteGroup("testers");
	}

	@AfterAll
	static void resetMocks() {
		Mocks.reset();
	}

	@Test
	void aWaitingUatTaskGoesOnceToTheTestersWithTheLinkThatOpensIt() {
		ProcessInstance release = releaseAtUat();

		Task task = UatTasks.of(release);
		assertThat(this.notices.mails).singleElement().satisfies((mail) -> {
			// testers with an address, from the identity service (ted has none; tess
			// asked
			// for the release, so she may not answer it)
			assertThat(mail.to()).containsExactly("tina@reporting.example", "tom@reporting.example");
			assertThat(mail.subject()).isEqualTo("UAT: build " + BUILD + " waits for a tester");
			assertThat(mail.body())
				.contains("Open the task: " + TestNotices.PUBLIC_URL + "/camunda/app/tasklist/default/#/?task="
						+ task.getId())
				.contains("Environment: qa")
				.contains("Build: " + BUILD)
				.contains("QA stack: reporting_qa_7")
				.contains("Release (process instance): " + release.getId())
				.contains("Requested by: tess");
		});
		assertThat(this.notices.chats).singleElement()
			.asString()
			.startsWith("UAT: build " + BUILD)
			.contains("?task=" + task.getId());
		assertThat(this.notices.sent("mail", NoticeEvent.UAT_WAITING)).isEqualTo(1);
		assertThat(this.notices.sent("webhook", NoticeEvent.UAT_WAITING)).isEqualTo(1);
	}

	@Test
	void anApprovalTellsWhoStartedAndRequestedTheRelease() {
		ProcessInstance release = releaseAtUat();
		this.notices.clear();
		answer(new Decision(ReleaseProcess.APPROVED, "tom", AT, "looks good", "Approved by tom: looks good",
				List.of(new Approval("tom", AT, "looks good")), 1));

		UatTasks.answer("tom", UatTasks.of(release), "approve", "looks good");

		assertThat(this.notices.mails).singleElement().satisfies((mail) -> {
			// jenkins started it but has no address; tess asked for it
			assertThat(mail.to()).containsExactly("tess@reporting.example");
			assertThat(mail.subject()).isEqualTo("Approved: build " + BUILD + " goes to Prod");
			assertThat(mail.body()).contains("Approved by tom: looks good")
				.contains("Decided by: tom")
				.contains(
						TestNotices.PUBLIC_URL + "/camunda/app/cockpit/default/#/process-instance/" + release.getId());
		});
	}

	@Test
	void aRejectionTellsTheRequesterWhatIsWrong() {
		ProcessInstance release = releaseAtUat();
		this.notices.clear();
		answer(new Decision(ReleaseProcess.REJECTED, "tom", AT, "export is gone", "Rejected by tom: export is gone",
				List.of(), 1));

		UatTasks.answer("tom", UatTasks.of(release), "reject", "export is gone");

		assertThat(release.getId())
			.satisfies((id) -> assertThat(runtimeService().createProcessInstanceQuery().processInstanceId(id).count())
				.isZero());
		assertThat(this.notices.mails).singleElement().satisfies((mail) -> {
			assertThat(mail.to()).containsExactly("tess@reporting.example");
			assertThat(mail.subject()).isEqualTo("Rejected: build " + BUILD + " does not go to Prod");
			assertThat(mail.body()).contains("Rejected by tom: export is gone");
		});
	}

	@Test
	void qaChangedDuringUatTellsTheRequester() {
		ProcessInstance release = releaseAtUat();
		this.notices.clear();
		answer(new Decision(ReleaseProcess.QA_CHANGED, "tom", AT, "",
				"QA was redeployed while build " + BUILD + " waited for UAT", List.of(), 1));

		UatTasks.answer("tom", UatTasks.of(release), "approve", "");

		assertThat(this.notices.mails).singleElement().satisfies((mail) -> {
			assertThat(mail.to()).containsExactly("tess@reporting.example");
			assertThat(mail.subject()).startsWith("Refused: QA changed");
		});
	}

	@Test
	void aRefusedAnswerRollsBackAndSendsNothing() {
		ProcessInstance release = releaseAtUat();
		this.notices.clear();
		when(releases.decide(anyString(), anyString(), anyString(), anyString(), any(), anyString(), anyBoolean(),
				anyString(), any()))
			.thenThrow(RequestRefusedException.badInput("A rejection needs a comment"));

		assertThatThrownBy(() -> UatTasks.answer("tom", UatTasks.of(release), "reject", ""))
			.hasMessageContaining("A rejection needs a comment");

		assertThat(this.notices.mails).isEmpty();
		assertThat(this.notices.chats).isEmpty();
	}

	@Test
	void theReminderGoesToTheTestersWithTheTaskLink() {
		ProcessInstance release = startAsJenkins();
		ProcessJobs.run(release, "Task_PrepareUat");
		this.notices.clear();

		ProcessJobs.run(release, "Timer_UatReminder");

		Task task = UatTasks.of(release);
		assertThat(this.notices.mails).singleElement().satisfies((mail) -> {
			assertThat(mail.to()).containsExactly("tina@reporting.example", "tom@reporting.example");
			assertThat(mail.subject()).isEqualTo("Reminder: build " + BUILD + " still waits for UAT");
			assertThat(mail.body()).contains("It has waited 4h; it expires after 3d")
				.contains("/camunda/app/tasklist/default/#/?task=" + task.getId());
		});
	}

	@Test
	void expiryTellsTheTestersAndTheRequesterOnce() {
		ProcessInstance release = startAsJenkins();
		ProcessJobs.run(release, "Task_PrepareUat");
		this.notices.clear();

		ProcessJobs.run(release, "Timer_UatDeadline");

		assertThat(this.notices.mails).singleElement().satisfies((mail) -> {
			assertThat(mail.to()).containsExactly("tess@reporting.example", "tina@reporting.example",
					"tom@reporting.example");
			assertThat(mail.subject()).isEqualTo("UAT expired: build " + BUILD + " does not go to Prod");
			assertThat(mail.body()).contains("No tester approved or rejected build " + BUILD);
		});
	}

	@Test
	void aMailServerThatIsDownFailsNoStepAndIsCounted() {
		ProcessInstance release = releaseAtUat();
		this.notices.clear();
		this.notices.mailServerDown();
		answer(new Decision(ReleaseProcess.APPROVED, "tom", AT, "ok", "Approved by tom: ok",
				List.of(new Approval("tom", AT, "ok")), 1));

		UatTasks.answer("tom", UatTasks.of(release), "approve", "ok");

		org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat(release)
			.isWaitingAt("Task_CheckProdBackup");
		// tried as often as the settings say, then counted; the chat still got it
		assertThat(this.notices.failed("mail", NoticeEvent.RELEASE_DECIDED)).isEqualTo(1);
		assertThat(this.notices.sent("mail", NoticeEvent.RELEASE_DECIDED)).isZero();
		org.mockito.Mockito.verify(this.notices.mail, org.mockito.Mockito.times(2))
			.send(org.mockito.ArgumentMatchers.anyList(), anyString(), anyString());
		assertThat(this.notices.sent("webhook", NoticeEvent.RELEASE_DECIDED)).isEqualTo(1);
	}

	@Test
	void noConfiguredSecretLeavesInAMessage() {
		ProcessInstance release = releaseAtUat();
		this.notices.clear();
		String token = "https://hooks.example/services/T0/B0/secret-token-42";
		answer(new Decision(ReleaseProcess.REJECTED, "tom", AT, "see " + token, "Rejected by tom: see " + token,
				List.of(), 1));

		UatTasks.answer("tom", UatTasks.of(release), "reject", "see it");

		assertThat(this.notices.mails).singleElement()
			.satisfies((mail) -> assertThat(mail.body()).doesNotContain("secret-token-42").contains("******"));
		assertThat(this.notices.chats).singleElement().asString().doesNotContain("secret-token-42");
	}

	private ProcessInstance releaseAtUat() {
		ProcessInstance release = startAsJenkins();
		ProcessJobs.run(release, "Task_PrepareUat");
		org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat(release).isWaitingAt("Task_UatApproval");
		return release;
	}

	private static void answer(Decision decision) {
		when(releases.decide(anyString(), anyString(), anyString(), anyString(), any(), anyString(), anyBoolean(),
				anyString(), any()))
			.thenReturn(decision);
	}

	private static ProcessInstance startAsJenkins() {
		identityService().setAuthenticatedUserId("jenkins");
		try {
			return runtimeService().startProcessInstanceByKey(ReleaseProcess.KEY,
					Map.of("build", BUILD, "requestedBy", "tess"));
		}
		finally {
			identityService().clearAuthentication();
		}
	}

}
