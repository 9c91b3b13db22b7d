package au.edu.unimelb.reporting.ops.notify;

import java.util.Locale;

/**
 * What a notification is about: the {@code event} tag of the notification counters.
 */
public enum NoticeEvent {

	/** A UAT task waits for a tester (to the testers, with the task's link). */
	UAT_WAITING,

	/** The UAT task has waited long: a reminder (to the testers). */
	UAT_REMINDER,

	/** UAT expired without enough approvals (to the testers and the requester). */
	UAT_EXPIRED,

	/** Approved, rejected, or refused as QA changed (to the requester). */
	RELEASE_DECIDED,

	/** Prod serves a new build (to the operators). */
	PROD_DEPLOYED,

	/** A Prod deploy failed or was cancelled (to the operators). */
	PROD_DEPLOY_FAILED,

	/** A rollback ended, rolled back or refused (to the operators). */
	ROLLBACK,

	/** A step failed for good and waits in Cockpit (to the operators). */
	INCIDENT,

	/** A backup night or QA restore failed or was incomplete (to the operators). */
	NIGHT_FAILED;

	/** The counters' tag: {@code uat_waiting}. */
	public String tag() {
		return name().toLowerCase(Locale.ROOT);
	}

}
