package au.edu.unimelb.reporting.ops.release;

import org.springframework.stereotype.Component;

/**
 * The UAT task's timers, as the model reads them
 * ({@code ${releaseSchedule.reminderAfter}}, {@code ${releaseSchedule.approvalDeadline}})
 * and the backup wait ({@code ${releaseSchedule.backupWait}}): ISO-8601 durations from
 * {@code ops.release.*}.
 */
@Component("releaseSchedule")
public class ReleaseSchedule {

	private final ReleaseSettings settings;

	public ReleaseSchedule(ReleaseSettings settings) {
		this.settings = settings;
	}

	public String getReminderAfter() {
		return this.settings.reminderAfter().toString();
	}

	public String getApprovalDeadline() {
		return this.settings.approvalDeadline().toString();
	}

	/** The wait of the loop while a backup of Prod runs before the Prod deploy. */
	public String getBackupWait() {
		return this.settings.backupWait().toString();
	}

}
