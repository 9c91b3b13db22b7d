package au.edu.unimelb.reporting.ops.backup;

import java.time.Instant;
import java.util.List;

import au.edu.unimelb.reporting.ops.engine.RequestRefusedException;
import au.edu.unimelb.reporting.ops.engine.StartedBy;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.backup.NightlyBackupProcess.FAILURE_REASON;
import static au.edu.unimelb.reporting.ops.backup.NightlyBackupProcess.FOR_RELEASE;
import static au.edu.unimelb.reporting.ops.backup.NightlyBackupProcess.INITIATOR;
import static au.edu.unimelb.reporting.ops.backup.NightlyBackupProcess.OUTCOME;
import static au.edu.unimelb.reporting.ops.backup.NightlyBackupProcess.RELEASE_ID;
import static au.edu.unimelb.reporting.ops.backup.NightlyBackupProcess.RUN_STARTED_AT;
import static au.edu.unimelb.reporting.ops.backup.NightlyBackupProcess.SKIPPED;
import static au.edu.unimelb.reporting.ops.backup.NightlyBackupProcess.TIERS;

/**
 * {@code Task_AcceptBackup} (synchronous, in the starting transaction or the timer's
 * job): checks that backups are on, takes the Prod database's backup lock, opens the
 * run's record and picks tonight's tiers (only daily for a release's backup,
 * {@code forRelease}). Whether a release takes it comes from the instance that called
 * this run, never from start variables: a start request that names {@code forRelease} or
 * {@code releaseId} is refused (a backup that says it is a release's raises no incident
 * when it fails and starts no QA restore). A refusal starts nothing (400 or 409 to a REST
 * caller); a refused nightly run, or a release's, ends as skipped, with the reason in its
 * record.
 */
@Component("acceptBackup")
class AcceptBackupDelegate implements JavaDelegate {

	private final BackupService backup;

	private final NightReports reports;

	AcceptBackupDelegate(BackupService backup, NightReports reports) {
		this.backup = backup;
		this.reports = reports;
	}

	@Override
	public void execute(DelegateExecution execution) {
		Instant startedAt = Instant.now();
		// who started it as the engine authenticated them (nobody: the timer or a
		// release's
		// job), never an initiator variable sent with a start request
		String initiator = StartedBy.resetInitiator(execution, INITIATOR);
		String release = StartedBy.callingInstance(execution, NightlyBackupProcess.RELEASE_KEY);
		boolean forRelease = release != null;
		if (!forRelease && (execution.hasVariable(FOR_RELEASE) || execution.hasVariable(RELEASE_ID))) {
			throw RequestRefusedException.badInput("Refused: " + FOR_RELEASE + " and " + RELEASE_ID
					+ " can only come from the release that calls a backup, never from a start request");
		}
		execution.setVariable(RUN_STARTED_AT, startedAt.toString());
		execution.setVariable(FOR_RELEASE, forRelease);
		execution.setVariable(RELEASE_ID, release);
		String runId = execution.getProcessInstanceId();
		if (initiator != null && !forRelease) {
			execution.setVariable(TIERS,
					String.join(",", this.backup.acceptBackup(runId, initiator, startedAt, false)));
			return;
		}
		String startedBy = forRelease ? "release " + release : "timer";
		try {
			List<String> tiers = this.backup.acceptBackup(runId, startedBy, startedAt, forRelease);
			execution.setVariable(TIERS, String.join(",", tiers));
		}
		catch (RequestRefusedException refused) {
			// The nightly timer: a refusal must not fail the timer's job (that would stop
			// every later night), so the run ends as skipped, with the reason.
			this.backup.skip(runId, refused.getMessage());
			execution.setVariable(TIERS, "");
			execution.setVariable(OUTCOME, SKIPPED);
			execution.setVariable(FAILURE_REASON, refused.getMessage());
			this.reports.tell(new NightReport.Night(runId, SKIPPED, refused.getMessage(), forRelease));
		}
	}

}
