package au.edu.unimelb.reporting.ops.backup;

import au.edu.unimelb.reporting.ops.notify.Notice;
import au.edu.unimelb.reporting.ops.notify.NoticeEvent;
import au.edu.unimelb.reporting.ops.notify.Notifications;
import au.edu.unimelb.reporting.ops.notify.Recipients;

import org.springframework.stereotype.Component;

/**
 * Tells the operators of a failed, incomplete or skipped backup night (not of one a
 * release took: the release reports its own outcome). {@link NightReports} calls it once
 * the night's transaction committed.
 */
@Component
class NotifyingNightReport implements NightReport {

	private final Notifications notifications;

	NotifyingNightReport(Notifications notifications) {
		this.notifications = notifications;
	}

	@Override
	public void nightEnded(Night night) {
		if (!night.failed() || night.forRelease() || !this.notifications.on()) {
			return;
		}
		this.notifications.send(Notice
			.of(NoticeEvent.NIGHT_FAILED, "Backup night ended " + night.outcome() + ": Prod was not fully backed up")
			.detail(night.detail())
			.where("Environment", "prod")
			.where("Process", NightlyBackupProcess.KEY)
			.where("Backup night (process instance)", night.runId())
			.next("Older backup sets are kept and tomorrow's backup runs as planned")
			.next("Look at the night in Cockpit: " + this.notifications.instanceLink(night.runId())
					+ " (its incident waits: Retry there acknowledges the night)")
			.next("The night's record: GET /api/backups/" + night.runId())
			.to(Recipients.operators()));
	}

}
