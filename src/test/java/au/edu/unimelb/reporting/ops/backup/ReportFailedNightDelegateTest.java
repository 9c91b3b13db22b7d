package au.edu.unimelb.reporting.ops.backup;

import au.edu.unimelb.reporting.ops.backup.ReportFailedNightDelegate.FailedNightException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReportFailedNightDelegateTest {

	static final String RUN = "cb185a07-e942-11f1-8c0a-02fc00000001";

	@Test
	void aShortReasonIsGivenWhole() {
		String message = new FailedNightException(RUN, "FAILED", "pg_dump of reporting failed: exit 1").getMessage();

		assertThat(message).startsWith("Backup night " + RUN + " ended FAILED: pg_dump of reporting failed: exit 1. ")
			.contains("tomorrow's backup runs as planned")
			.endsWith("Retry this step to acknowledge it and end the run.");
	}

	@Test
	void aLongReasonIsShortenedSoThatTheIncidentStillSaysWhatToDo() {
		String argv = "duplicity full --name reporting-monthly --archive-dir /var/lib/ops/duplicity-cache ".repeat(30);
		String message = new FailedNightException(RUN, "INCOMPLETE",
				"Not verified: daily, weekly, monthly (monthly failed: " + argv + ")")
			.getMessage();

		assertThat(message).hasSize(FailedNightException.INCIDENT_MESSAGE_MAX)
			.startsWith("Backup night " + RUN + " ended INCOMPLETE: Not verified: daily, weekly, monthly")
			.contains("\u2026. Older sets are kept and tomorrow's backup runs as planned")
			.contains("GET /api/backups/" + RUN)
			.endsWith("Retry this step to acknowledge it and end the run.");
	}

}
