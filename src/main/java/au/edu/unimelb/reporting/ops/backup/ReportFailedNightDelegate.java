package au.edu.unimelb.reporting.ops.backup;

import au.edu.unimelb.reporting.ops.nightly.StepTries;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.backup.NightlyBackupProcess.FAILURE_REASON;
import static au.edu.unimelb.reporting.ops.backup.NightlyBackupProcess.OUTCOME;

/**
 * {@code Task_ReportFailedNight}: makes a failed, incomplete or skipped night an incident
 * in Cockpit, which waits for an operator; "Retry" on it acknowledges the night and ends
 * the run. By then the run holds no lock and no staging files (released by
 * {@code Task_FinishBackup}, or never taken when skipped), and the nightly timer is
 * unaffected: tomorrow's backup runs whatever happens here.
 */
@Component("reportFailedNight")
class ReportFailedNightDelegate implements JavaDelegate {

	private static final Logger log = LoggerFactory.getLogger(ReportFailedNightDelegate.class);

	@Override
	public void execute(DelegateExecution execution) {
		String outcome = (String) execution.getVariable(OUTCOME);
		if (StepTries.of(execution).failedBefore()) {
			log.info("Backup night {} ({}) acknowledged by an operator", execution.getProcessInstanceId(), outcome);
			return;
		}
		throw new FailedNightException(execution.getProcessInstanceId(), outcome,
				(String) execution.getVariable(FAILURE_REASON));
	}

	/**
	 * The incident's message: what failed, what is kept, what to do. The engine keeps
	 * only the first {@value #INCIDENT_MESSAGE_MAX} characters of a job's exception
	 * message as the incident's, so a long reason (a program's argv and output) is
	 * shortened to leave room for what to do; the whole reason is in the run's record.
	 */
	static final class FailedNightException extends RuntimeException {

		/** The engine's limit ({@code StringUtil.DB_MAX_STRING_LENGTH}). */
		static final int INCIDENT_MESSAGE_MAX = 666;

		FailedNightException(String runId, String outcome, String reason) {
			super(message(runId, outcome, reason));
		}

		private static String message(String runId, String outcome, String reason) {
			String head = "Backup night " + runId + " ended " + outcome + ": ";
			String tail = ". Older sets are kept and tomorrow's backup runs as planned (this run holds no lock). See "
					+ "GET /api/backups/" + runId + ". Retry this step to acknowledge it and end the run.";
			int room = Math.max(0, INCIDENT_MESSAGE_MAX - head.length() - tail.length());
			// a reason that is a sentence already (a lock refusal) ends with its own stop
			String why = String.valueOf(reason).strip().replaceAll("\\.+$", "");
			if (why.length() > room) {
				why = why.substring(0, Math.max(0, room - 1)) + "\u2026";
			}
			return head + why + tail;
		}

	}

}
