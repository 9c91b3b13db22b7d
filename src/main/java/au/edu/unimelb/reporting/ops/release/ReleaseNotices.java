package au.edu.unimelb.reporting.ops.release;

import java.time.Duration;
import java.util.List;

import au.edu.unimelb.reporting.ops.notify.Notice;
import au.edu.unimelb.reporting.ops.notify.NoticeEvent;
import au.edu.unimelb.reporting.ops.notify.Notifications;
import au.edu.unimelb.reporting.ops.notify.Recipients;
import au.edu.unimelb.reporting.ops.release.ReleaseService.Decision;
import org.camunda.bpm.engine.delegate.VariableScope;

import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.release.ReleaseProcess.APPROVALS_NEEDED;
import static au.edu.unimelb.reporting.ops.release.ReleaseProcess.APPROVALS_REQUIRED;
import static au.edu.unimelb.reporting.ops.release.ReleaseProcess.BUILD;
import static au.edu.unimelb.reporting.ops.release.ReleaseProcess.INITIATOR;
import static au.edu.unimelb.reporting.ops.release.ReleaseProcess.QA_DATA_AS_OF;
import static au.edu.unimelb.reporting.ops.release.ReleaseProcess.QA_STACK;
import static au.edu.unimelb.reporting.ops.release.ReleaseProcess.QA_URL;
import static au.edu.unimelb.reporting.ops.release.ReleaseProcess.REQUESTED_BY;

/**
 * What a release tells people: the testers that a UAT task waits (with the link that
 * opens it), that it still waits (the reminder) and that it expired; whoever started or
 * requested the release how UAT was decided. Sent after the step commits (see
 * {@link Notifications}).
 */
@Component
class ReleaseNotices {

	private final Notifications notifications;

	private final ReleaseSettings settings;

	ReleaseNotices(Notifications notifications, ReleaseSettings settings) {
		this.notifications = notifications;
		this.settings = settings;
	}

	/** The UAT task {@code taskId} was created: the testers may answer it. */
	void uatWaiting(VariableScope release, String taskId, String processInstanceId) {
		this.notifications.guarded("UAT waiting", () -> uatWaitingNow(release, taskId, processInstanceId));
	}

	private void uatWaitingNow(VariableScope release, String taskId, String processInstanceId) {
		if (!this.notifications.on()) {
			return;
		}
		Object build = release.getVariable(BUILD);
		this.notifications.send(where(Notice.of(NoticeEvent.UAT_WAITING, "UAT: build " + build + " waits for a tester"),
				release, processInstanceId)
			.detail("Build " + build + " is on QA. Test it there, then approve or reject it in Tasklist"
					+ progress(release) + ".")
			.next("Open the task: " + this.notifications.taskLink(taskId))
			.next("Log in as yourself (the release's starter and requester may not answer it)")
			.next("UAT expires " + human(this.settings.approvalDeadline())
					+ " after it began unless enough testers approved by then")
			.to(answering(release)));
	}

	/** The UAT tasks still wait after the reminder time. */
	void reminder(VariableScope release, List<String> taskIds, String processInstanceId) {
		this.notifications.guarded("UAT reminder", () -> reminderNow(release, taskIds, processInstanceId));
	}

	private void reminderNow(VariableScope release, List<String> taskIds, String processInstanceId) {
		if (!this.notifications.on()) {
			return;
		}
		Object build = release.getVariable(BUILD);
		Notice.Builder notice = where(
				Notice.of(NoticeEvent.UAT_REMINDER, "Reminder: build " + build + " still waits for UAT"), release,
				processInstanceId)
			.detail("It has waited " + human(this.settings.reminderAfter()) + progress(release) + "; it expires after "
					+ human(this.settings.approvalDeadline()) + ".");
		taskIds.forEach((id) -> notice.next("Open the task: " + this.notifications.taskLink(id)));
		this.notifications.send(notice.to(answering(release)));
	}

	/** UAT expired: the testers and the release's starter and requester are told. */
	void expired(VariableScope release, String reason, String processInstanceId) {
		this.notifications.guarded("UAT expired", () -> expiredNow(release, reason, processInstanceId));
	}

	private void expiredNow(VariableScope release, String reason, String processInstanceId) {
		if (!this.notifications.on()) {
			return;
		}
		Object build = release.getVariable(BUILD);
		this.notifications
			.send(where(Notice.of(NoticeEvent.UAT_EXPIRED, "UAT expired: build " + build + " does not go to Prod"),
					release, processInstanceId)
				.detail(reason + ". QA keeps the build; Prod is untouched.")
				.next("To ship the build, start a new release for it (Jenkins)")
				.next("The release in Cockpit: " + this.notifications.instanceLink(processInstanceId))
				.to(Recipients.testers().and(requesters(release))));
	}

	/**
	 * A tester's answer decided UAT (approved, rejected, QA changed); a partial approval
	 * is not a decision.
	 */
	void decided(VariableScope release, Decision decision, String processInstanceId) {
		this.notifications.guarded("release decided", () -> decidedNow(release, decision, processInstanceId));
	}

	private void decidedNow(VariableScope release, Decision decision, String processInstanceId) {
		if (!this.notifications.on() || ReleaseProcess.PARTLY_APPROVED.equals(decision.outcome())) {
			return;
		}
		Object build = release.getVariable(BUILD);
		String subject;
		String next;
		switch (decision.outcome()) {
			case ReleaseProcess.APPROVED -> {
				subject = "Approved: build " + build + " goes to Prod";
				next = "Nothing: the release checks the Prod backup and deploys to Prod; follow it in Cockpit: "
						+ this.notifications.instanceLink(processInstanceId);
			}
			case ReleaseProcess.REJECTED -> {
				subject = "Rejected: build " + build + " does not go to Prod";
				next = "Fix what the tester found and start a new release (QA keeps the build until then)";
			}
			default -> {
				subject = "Refused: QA changed while build " + build + " waited for UAT";
				next = "Start a new release for the build to test";
			}
		}
		this.notifications.send(where(Notice.of(NoticeEvent.RELEASE_DECIDED, subject), release, processInstanceId)
			.detail(decision.message())
			.where("Decided by", decision.user())
			.next(next)
			.to(requesters(release)));
	}

	/** The testers who may answer: not the release's starter or requester. */
	private static Recipients answering(VariableScope release) {
		return Recipients.testersBut((String) release.getVariable(INITIATOR),
				(String) release.getVariable(REQUESTED_BY));
	}

	private static Recipients requesters(VariableScope release) {
		return Recipients.users((String) release.getVariable(INITIATOR), (String) release.getVariable(REQUESTED_BY));
	}

	private static Notice.Builder where(Notice.Builder notice, VariableScope release, String processInstanceId) {
		return notice.where("Environment", "qa")
			.where("Build", release.getVariable(BUILD))
			.where("QA", release.getVariable(QA_URL))
			.where("QA stack", release.getVariable(QA_STACK))
			.where("QA data as of", release.getVariable(QA_DATA_AS_OF))
			.where("Release (process instance)", processInstanceId)
			.where("Started by", release.getVariable(INITIATOR))
			.where("Requested by", release.getVariable(REQUESTED_BY));
	}

	private static String progress(VariableScope release) {
		Object required = release.getVariable(APPROVALS_REQUIRED);
		Object needed = release.getVariable(APPROVALS_NEEDED);
		if (required instanceof Integer count && count > 1 && needed instanceof Integer more) {
			return " (" + (count - more) + " of " + count + " approvals given)";
		}
		return "";
	}

	/** {@code 4h}, {@code 3d}, {@code 1d 2h}. */
	static String human(Duration duration) {
		long days = duration.toDays();
		long hours = duration.toHoursPart();
		long minutes = duration.toMinutesPart();
		StringBuilder text = new StringBuilder();
		if (days > 0) {
			text.append(days).append("d");
		}
		if (hours > 0) {
			text.append(text.isEmpty() ? "" : " ").append(hours).append("h");
		}
		if (minutes > 0 || text.isEmpty()) {
			text.append(text.isEmpty() ? "" : " ").append(minutes).append("min");
		}
		return text.toString();
	}

}
