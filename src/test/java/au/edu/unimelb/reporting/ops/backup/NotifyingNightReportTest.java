package au.edu.unimelb.reporting.ops.backup;

import au.edu.unimelb.reporting.ops.support.TestNotices;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A failed, incomplete or skipped night tells the operators once (NightReports calls the
 * report after the night's transaction committed); a verified night and a backup a
 * release took tell nobody.
 */
class NotifyingNightReportTest {

	final TestNotices notices = TestNotices.with(null);

	final NotifyingNightReport report = new NotifyingNightReport(this.notices.notifications);

	@Test
	void aFailedNightTellsTheOperatorsWithTheReasonAndTheCockpitLink() {
		this.report.nightEnded(
				new NightReport.Night("run-1", "INCOMPLETE", "weekly: upload failed (duplicity exited 23)", false));

		assertThat(this.notices.mails).singleElement().satisfies((mail) -> {
			assertThat(mail.to()).containsExactly(TestNotices.OPERATORS);
			assertThat(mail.subject()).isEqualTo("Backup night ended INCOMPLETE: Prod was not fully backed up");
			assertThat(mail.body()).contains("weekly: upload failed (duplicity exited 23)")
				.contains("Backup night (process instance): run-1")
				.contains(TestNotices.PUBLIC_URL + "/camunda/app/cockpit/default/#/process-instance/run-1/runtime");
		});
	}

	@Test
	void aVerifiedNightOrOneTakenForAReleaseTellsNobody() {
		this.report.nightEnded(new NightReport.Night("run-2", NightlyBackupProcess.BACKED_UP, null, false));
		this.report.nightEnded(new NightReport.Night("run-3", "FAILED", "dump failed", true));

		assertThat(this.notices.mails).isEmpty();
	}

}
