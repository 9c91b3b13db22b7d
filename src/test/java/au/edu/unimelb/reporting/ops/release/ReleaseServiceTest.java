package au.edu.unimelb.reporting.ops.release;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings;
import au.edu.unimelb.reporting.ops.deploy.DeploymentRecord;
import au.edu.unimelb.reporting.ops.deploy.DeploymentRecords;
import au.edu.unimelb.reporting.ops.deploy.ReleaseApprovals.Approval;
import au.edu.unimelb.reporting.ops.engine.RequestRefusedException;
import au.edu.unimelb.reporting.ops.lock.LockHeldException;
import au.edu.unimelb.reporting.ops.lock.Locks;
import au.edu.unimelb.reporting.ops.nightly.BackupRecords;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The release's rules on their own: who may answer UAT, what an answer needs, an answer
 * bound to the QA it was given for, the request's input.
 */
class ReleaseServiceTest {

	static final String BUILD = "2026.11.25-1";

	final DeploymentRecords deployments = mock(DeploymentRecords.class);

	final BackupRecords backups = mock(BackupRecords.class);

	final ReleaseRecords records = mock(ReleaseRecords.class);

	final Locks locks = mock(Locks.class);

	final ReleaseService releases = new ReleaseService(
			new ReleaseSettings(Duration.ofHours(4), Duration.ofDays(3), Duration.ofHours(26), Duration.ofMinutes(1),
					java.time.Duration.ofHours(3), 1),
			mock(EnvironmentsSettings.class), this.deployments, this.backups, this.records, this.locks);

	@org.junit.jupiter.api.BeforeEach
	void aReleaseWaitsForUat() {
		when(this.records.find("r1")).thenReturn(Optional.of(waiting(BUILD, "reporting_qa_7")));
		when(this.records.decision(anyString(), anyString(), anyString(), org.mockito.ArgumentMatchers.any(),
				anyString()))
			.thenReturn(true);
		// the approvals table of release r1
		when(this.records.approval(eq("r1"), anyString(), org.mockito.ArgumentMatchers.any(), anyString()))
			.thenAnswer((call) -> this.approvals
				.add(new Approval(call.getArgument(1), call.getArgument(2), call.getArgument(3))));
		when(this.records.approvals("r1")).thenAnswer((call) -> List.copyOf(this.approvals));
	}

	final List<Approval> approvals = new ArrayList<>();

	static ReleaseRecords.Release waiting(String build, String qaStack) {
		return new ReleaseRecords.Release("r1", build, "jenkins", "tess", Instant.parse("2026-11-25T01:00:00Z"), null,
				"RUNNING", null, qaStack, null, null, null, null, null, 1, "d1");
	}

	@Test
	void aTaskThatDoesNotShowTheReleasesBuildAndStackIsNoAnswer() {
		qaServes("6.6.6", "reporting_qa_9");
		// a completion that sends its own build or QA stack (any REST caller can send
		// variables with it)
		assertThatThrownBy(() -> this.releases.decide("r1", "6.6.6", "reporting_qa_7", "jenkins", "tess", "tom", true,
				"approve", ""))
			.isInstanceOf(RequestRefusedException.class)
			.hasMessageContaining("ships build " + BUILD);
		assertThatThrownBy(() -> this.releases.decide("r1", BUILD, "reporting_qa_9", "jenkins", "tess", "tom", true,
				"approve", ""))
			.isInstanceOf(RequestRefusedException.class)
			.hasMessageContaining("(reporting_qa_7) to testers");
		verify(this.records, never()).decision(anyString(), anyString(), anyString(),
				org.mockito.ArgumentMatchers.any(), anyString());
	}

	@Test
	void aReleaseIsDecidedOnceAndTheFirstAnswerStands() {
		qaServes(BUILD, "reporting_qa_7");
		when(this.records.decision(anyString(), anyString(), anyString(), org.mockito.ArgumentMatchers.any(),
				anyString()))
			.thenReturn(false);
		assertThatThrownBy(() -> this.releases.decide("r1", BUILD, "reporting_qa_7", "jenkins", "tess", "tom", true,
				"approve", ""))
			.isInstanceOf(RequestRefusedException.class)
			.hasMessageContaining("decided by someone else");
		ReleaseRecords.Release decided = new ReleaseRecords.Release("r1", BUILD, "jenkins", "tess",
				Instant.parse("2026-11-25T01:00:00Z"), null, "RUNNING", null, "reporting_qa_7", null, "REJECTED",
				"tina", Instant.parse("2026-11-25T02:00:00Z"), "broken", 1, "d1");
		when(this.records.find("r1")).thenReturn(Optional.of(decided));
		assertThatThrownBy(() -> this.releases.decide("r1", BUILD, "reporting_qa_7", "jenkins", "tess", "tom", true,
				"approve", ""))
			.isInstanceOf(RequestRefusedException.class)
			.hasMessageContaining("decided already (REJECTED by tina)");
	}

	@Test
	void theRecordsStarterAndRequesterMayNotAnswerWhateverTheTaskSays() {
		qaServes(BUILD, "reporting_qa_7");
		assertThatThrownBy(() -> this.releases.decide("r1", BUILD, "reporting_qa_7", "nobody", "nobody", "tess", true,
				"approve", ""))
			.isInstanceOf(RequestRefusedException.class)
			.hasMessageContaining("another tester must approve");
	}

	@Test
	void aCommentCannotForgeALogLine() {
		qaServes(BUILD, "reporting_qa_7");
		assertThat(this.releases
			.decide("r1", BUILD, "reporting_qa_7", "jenkins", "tess", "tom", true, "approve",
					"fine\n2026-11-26 INFO fake line")
			.message()).contains("fine");
		assertThat(au.edu.unimelb.reporting.ops.engine.LogText.of("a\nb\u202ec\u0085d")).isEqualTo("a?b?c?d");
	}

	@Test
	void anApprovalCountsWhenQaStillServesWhatTheTaskShowed() {
		qaServes(BUILD, "reporting_qa_7");
		ReleaseService.Decision decision = this.releases.decide("r1", BUILD, "reporting_qa_7", "jenkins", "tess", "tom",
				true, "approve", "  fine  ");
		assertThat(decision.outcome()).isEqualTo(ReleaseProcess.APPROVED);
		assertThat(decision.comment()).isEqualTo("fine");
		assertThat(decision.message()).isEqualTo("Approved by tom: fine");
		verify(this.records).decision("r1", ReleaseProcess.APPROVED, "tom", decision.at(), "fine");
	}

	@Test
	void anAnswerAfterQaWasRedeployedIsRefused() {
		qaServes("2026.11.25-2", "reporting_qa_8");
		ReleaseService.Decision decision = this.releases.decide("r1", BUILD, "reporting_qa_7", "jenkins", null, "tom",
				true, "approve", "");
		assertThat(decision.outcome()).isEqualTo(ReleaseProcess.QA_CHANGED);
		assertThat(decision.message()).contains("it now serves build 2026.11.25-2 (reporting_qa_8)")
			.contains("The approval by tom is refused");
	}

	@Test
	void theSameBuildOnAnotherStackIsAChangeToo() {
		qaServes(BUILD, "reporting_qa_8");
		assertThat(this.releases.decide("r1", BUILD, "reporting_qa_7", "jenkins", null, "tom", true, "reject", "broken")
			.outcome()).isEqualTo(ReleaseProcess.QA_CHANGED);
	}

	@Test
	void refusesAnswersThatBreakTheRules() {
		qaServes(BUILD, "reporting_qa_7");
		assertRefused("jenkins", true, "approve", "", "You started this release");
		assertRefused("tess", true, "approve", "", "You started this release (or it was started for you)");
		// a directory finds tess for a login typed Tess: the same person
		assertRefused("Tess", true, "approve", "", "You started this release (or it was started for you)");
		assertRefused("JENKINS", true, "approve", "", "You started this release");
		assertRefused("eve", false, "approve", "", "Only a member of the testers group");
		assertRefused(null, false, "approve", "", "Only a member of the testers group");
		assertRefused("tom", true, "reject", "  ", "A rejection needs a comment");
		assertRefused("tom", true, null, "", "Choose approve or reject");
		assertRefused("tom", true, "ship it", "", "Choose approve or reject");
		assertRefused("tom", true, "approve", "x".repeat(2001), "too long");
		verify(this.records, never()).decision(anyString(), anyString(), anyString(),
				org.mockito.ArgumentMatchers.any(), anyString());
	}

	@Test
	void refusesABadRequestBeforeTakingTheLock() {
		assertThatThrownBy(() -> this.releases.acceptRelease("r1", null, "jenkins", null))
			.isInstanceOf(RequestRefusedException.class)
			.hasMessageContaining("'build' is missing");
		assertThatThrownBy(() -> this.releases.acceptRelease("r1", "1.0; rm -rf /", "jenkins", null))
			.hasMessageContaining("is not a build reference");
		assertThatThrownBy(() -> this.releases.acceptRelease("r1", BUILD, "jenkins", "Robert'); DROP"))
			.hasMessageContaining("'requestedBy' is not a user id");
		verify(this.locks, never()).acquire(anyString(), anyString(), anyString());
	}

	@Test
	void refusesASecondReleaseNamingTheOneThatRuns() {
		EnvironmentsSettings environments = mock(EnvironmentsSettings.class);
		when(environments.find(anyString()))
			.thenReturn(Optional.of(mock(EnvironmentsSettings.EnvironmentSettings.class)));
		ReleaseService service = new ReleaseService(
				new ReleaseSettings(Duration.ofHours(4), Duration.ofDays(3), Duration.ofHours(26),
						Duration.ofMinutes(1), java.time.Duration.ofHours(3), 1),
				environments, this.deployments, this.backups, this.records, this.locks);
		doThrow(new LockHeldException("release", "r0", "jenkins", "2026-11-24 22:00:00.0")).when(this.locks)
			.acquire("release", "r1", "jenkins");
		when(this.records.find("r0")).thenReturn(Optional.of(waiting("1.4.1", "reporting_qa_6")));
		assertThatThrownBy(() -> service.acceptRelease("r1", BUILD, "jenkins", null))
			.isInstanceOf(RequestRefusedException.class)
			.hasMessage("Locked by another run: release is held by the release of build 1.4.1, process instance r0, "
					+ "started by jenkins at 2026-11-24 22:00:00.0. Let it finish (approve or reject it in Tasklist), "
					+ "or cancel it in Cockpit, then start again.");
		verify(this.records, never()).start(anyString(), anyString(), anyString(), org.mockito.ArgumentMatchers.any(),
				org.mockito.ArgumentMatchers.anyInt());
	}

	private void assertRefused(String user, boolean tester, String decision, String comment, String message) {
		assertThatThrownBy(() -> this.releases.decide("r1", BUILD, "reporting_qa_7", "jenkins", "tess", user, tester,
				decision, comment))
			.isInstanceOf(RequestRefusedException.class)
			.hasMessageContaining(message);
	}

	private void qaServes(String build, String stack) {
		when(this.deployments.serving("qa")).thenReturn(Optional
			.of(new DeploymentRecord("d1", "DEPLOY", "qa", build, stack, "id", "127.0.0.11:8080", null, null, "jenkins",
					Instant.now(), Instant.now(), "DEPLOYED", null, null, null, null, null, null, null, List.of())));
	}

}
