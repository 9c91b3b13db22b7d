package au.edu.unimelb.reporting.ops.restore;

import au.edu.unimelb.reporting.ops.engine.RunEnd;
import au.edu.unimelb.reporting.ops.notify.Notice;
import au.edu.unimelb.reporting.ops.notify.NoticeEvent;
import au.edu.unimelb.reporting.ops.notify.Notifications;
import au.edu.unimelb.reporting.ops.notify.Recipients;

import org.springframework.stereotype.Component;

/**
 * Tells the operators of a QA restore that did not restore (failed or cancelled: QA was
 * left as it was). Sent after the run's end commits.
 */
@Component
class RestoreNotices {

	private final Notifications notifications;

	RestoreNotices(Notifications notifications) {
		this.notifications = notifications;
	}

	void runEnded(String runId, RunEnd end) {
		this.notifications.guarded("QA restore ended", () -> runEndedNow(runId, end));
	}

	private void runEndedNow(String runId, RunEnd end) {
		if (QaRestoreProcess.RESTORED.equals(end.outcome()) || !this.notifications.on()) {
			return;
		}
		this.notifications
			.send(Notice.of(NoticeEvent.NIGHT_FAILED, "QA restore ended " + end.outcome() + ": QA keeps its old data")
				.detail(end.detail())
				.where("Environment", "qa")
				.where("Process", QaRestoreProcess.KEY)
				.where("QA restore (process instance)", runId)
				.next("QA was left as it was; the next night restores it again")
				.next("Look at the run in Cockpit: " + this.notifications.instanceLink(runId))
				.next("Its record: GET /api/backups/" + runId)
				.to(Recipients.operators()));
	}

}
