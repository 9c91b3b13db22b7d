package au.edu.unimelb.reporting.ops.release;

import java.util.Map;

import au.edu.unimelb.reporting.ops.engine.RunEnd;

/**
 * Names shared by {@code processes/release.bpmn}, its form
 * ({@code processes/uat-approval.html}) and its delegates.
 */
public final class ReleaseProcess {

	public static final String KEY = "release";

	/**
	 * When the release began to wait for a running backup (its limit counts from then).
	 */
	public static final String BACKUP_WAITING_SINCE = "backupWaitingSince";

	/**
	 * Thrown by the end events of a failed QA or Prod deploy (the call activities catch
	 * deploy-replace's {@code DEPLOY_FAILED}), for a process that calls a release.
	 */
	public static final String ERROR_RELEASE_FAILED = "RELEASE_FAILED";

	/** The one lock of releases: one release at a time. */
	public static final String LOCK = "release";

	// Inputs
	public static final String BUILD = "build";

	/** Optional: the person Jenkins starts the release for; they may not approve it. */
	public static final String REQUESTED_BY = "requestedBy";

	public static final String INITIATOR = "initiator";

	// Shown to testers
	public static final String QA_URL = "qaUrl";

	public static final String QA_STACK = "qaStackName";

	public static final String QA_DATA_AS_OF = "qaDataAsOf";

	// The tester's answer (the form's fields)
	public static final String DECISION = "uatDecision";

	public static final String COMMENT = "uatComment";

	public static final String APPROVE = "approve";

	public static final String REJECT = "reject";

	// What the decision came to
	/**
	 * What the last answer came to: {@link #APPROVED} (every required approval is in),
	 * {@link #PARTLY_APPROVED}, {@link #REJECTED} or {@link #QA_CHANGED}.
	 */
	public static final String UAT_OUTCOME = "uatOutcome";

	/** How many distinct testers must approve (the release's record's number). */
	public static final String APPROVALS_REQUIRED = "uatApprovalsRequired";

	/** How many approvals are still needed. */
	public static final String APPROVALS_NEEDED = "uatApprovalsNeeded";

	/**
	 * The approvals that count so far, oldest first, as small JSON
	 * ({@code [{"user":"tom","at":"2026-11-25T03:00:00Z","comment":"fine"}]}; a comment
	 * is cut to {@link #APPROVAL_COMMENT_SHOWN} characters here, the release's record
	 * keeps it whole). Emptied when QA changed: those approvals are void.
	 */
	public static final String APPROVALS = "uatApprovals";

	public static final int APPROVAL_COMMENT_SHOWN = 200;

	public static final String UAT_MESSAGE = "uatMessage";

	public static final String DECIDED_BY = "decidedBy";

	public static final String OUTCOME = RunEnd.OUTCOME;

	public static final String FAILURE_REASON = RunEnd.FAILURE_REASON;

	// The Prod backup before Prod
	/** {@link #BACKUP_FRESH}, {@link #BACKUP_STALE} or {@link #BACKUP_BUSY}. */
	public static final String BACKUP_STATE = "backupState";

	/** One sentence: what the check found. */
	public static final String BACKUP_CHECK = "backupCheck";

	/** The outcome of the backup the release took ({@code BACKED_UP}, ...). */
	public static final String BACKUP_OUTCOME = "backupOutcome";

	/** Why the backup the release took did not verify. */
	public static final String BACKUP_FAILURE = "backupFailure";

	/** The last verified daily set is young enough: on to Prod. */
	public static final String BACKUP_FRESH = "FRESH";

	/** It is too old (or missing) and no backup runs: the release takes one. */
	public static final String BACKUP_STALE = "STALE";

	/**
	 * It is too old and a backup or QA restore holds the lock: wait, then check again.
	 */
	public static final String BACKUP_BUSY = "BUSY";

	// Outcomes
	public static final String APPROVED = "APPROVED";

	/** An approval counted, more are needed: the UAT task is asked again. */
	public static final String PARTLY_APPROVED = "PARTLY_APPROVED";

	public static final String REJECTED = "REJECTED";

	public static final String QA_CHANGED = "QA_CHANGED";

	public static final String EXPIRED = "EXPIRED";

	public static final String RELEASED = "RELEASED";

	public static final String FAILED = RunEnd.FAILED;

	/** The backup the release took before Prod did not verify; Prod is untouched. */
	public static final String BACKUP_FAILED = "BACKUP_FAILED";

	// Activity ids
	public static final String TASK_ACCEPT = "Task_AcceptRelease";

	public static final String CALL_DEPLOY_QA = "CallActivity_DeployQa";

	public static final String TASK_PREPARE_UAT = "Task_PrepareUat";

	/**
	 * The UAT, until enough approvals, a rejection or QA changed; the timers are on it.
	 */
	public static final String SUBPROCESS_UAT = "SubProcess_Uat";

	public static final String TASK_UAT = "Task_UatApproval";

	public static final String TIMER_REMINDER = "Timer_UatReminder";

	public static final String TIMER_DEADLINE = "Timer_UatDeadline";

	public static final String TASK_REMIND = "Task_RemindTesters";

	public static final String TASK_CHECK_BACKUP = "Task_CheckProdBackup";

	public static final String TIMER_WAIT_FOR_BACKUP = "Timer_WaitForBackup";

	public static final String CALL_TAKE_BACKUP = "CallActivity_TakeBackup";

	public static final String CALL_DEPLOY_PROD = "CallActivity_DeployProd";

	public static final String END_QA_DEPLOY_FAILED = "EndEvent_QaDeployFailed";

	public static final String END_EXPIRED = "EndEvent_Expired";

	public static final String END_REJECTED = "EndEvent_Rejected";

	public static final String END_QA_CHANGED = "EndEvent_QaChanged";

	public static final String END_BACKUP_FAILED = "EndEvent_BackupFailed";

	public static final String END_PROD_DEPLOY_FAILED = "EndEvent_ProdDeployFailed";

	public static final String END_RELEASED = "EndEvent_Released";

	/**
	 * The outcome each end event of release stands for, set by their start listener
	 * {@code releaseOutcome}.
	 */
	public static final Map<String, String> OUTCOMES = Map.of(END_QA_DEPLOY_FAILED, FAILED, END_EXPIRED, EXPIRED,
			END_REJECTED, REJECTED, END_QA_CHANGED, QA_CHANGED, END_BACKUP_FAILED, BACKUP_FAILED,
			END_PROD_DEPLOY_FAILED, FAILED, END_RELEASED, RELEASED);

	private ReleaseProcess() {
	}

}
