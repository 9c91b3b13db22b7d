package au.edu.unimelb.reporting.ops.backup;

import au.edu.unimelb.reporting.ops.engine.RunEnd;
import au.edu.unimelb.reporting.ops.nightly.StepErrors;

/**
 * Names of {@code processes/nightly-backup.bpmn} and its delegates. The qa-restore it
 * starts has its own ({@code restore.QaRestoreProcess}).
 */
public final class NightlyBackupProcess {

	public static final String KEY = "nightly-backup";

	/** Thrown by a step whose program failed: the run takes its failure path. */
	public static final String ERROR_STEP_FAILED = StepErrors.ERROR_STEP_FAILED;

	// Variables
	public static final String INITIATOR = "initiator";

	public static final String RUN_STARTED_AT = "runStartedAt";

	public static final String TIERS = "tiers";

	/** The multi-instance element: the tier one branch uploads to. */
	public static final String TIER = "tier";

	public static final String SET_TIME = "setTime";

	public static final String RETENTION = "retention";

	public static final String DUMP_BYTES = "dumpBytes";

	public static final String DAILY_VERIFIED = "dailyVerified";

	public static final String OUTCOME = RunEnd.OUTCOME;

	public static final String FAILURE_REASON = RunEnd.FAILURE_REASON;

	/** The qa-restore run this one started. */
	public static final String QA_RESTORE_RUN = "qaRestoreRun";

	/**
	 * {@code true} when a release takes this backup before Prod (daily tier only, no QA
	 * restore, no failed-night incident: the release reports the outcome). Decided by
	 * {@code Task_AcceptBackup} from the process instance that called this run (a
	 * {@link #RELEASE_KEY} instance), never from a start request.
	 */
	public static final String FOR_RELEASE = "forRelease";

	/** With {@link #FOR_RELEASE}: the release that takes the backup (its caller). */
	public static final String RELEASE_ID = "releaseId";

	/** The process that may call this one to take a backup before Prod. */
	public static final String RELEASE_KEY = "release";

	/** Whether a QA restore takes the lock over after this run. */
	public static final String QA_RESTORE_NEXT = "qaRestoreNext";

	// Outcomes
	public static final String BACKED_UP = "BACKED_UP";

	public static final String INCOMPLETE = "INCOMPLETE";

	/**
	 * A nightly run that found another backup or restore still running, and did nothing.
	 */
	public static final String SKIPPED = "SKIPPED";

	public static final String FAILED = RunEnd.FAILED;

	// Activity ids (readable, as drawn)
	public static final String TASK_ACCEPT_BACKUP = "Task_AcceptBackup";

	public static final String TASK_DUMP_DATABASE = "Task_DumpDatabase";

	public static final String SUBPROCESS_TIER = "SubProcess_Tier";

	public static final String TASK_UPLOAD = "Task_Upload";

	public static final String TASK_VERIFY = "Task_Verify";

	public static final String TASK_APPLY_RETENTION = "Task_ApplyRetention";

	public static final String TASK_CLEAN_UP_UPLOAD = "Task_CleanUpUpload";

	public static final String TASK_FINISH_BACKUP = "Task_FinishBackup";

	public static final String TASK_START_QA_RESTORE = "Task_StartQaRestore";

	public static final String END_BACKED_UP = "EndEvent_BackedUp";

	/** Waits as an incident until an operator acknowledges a failed night. */
	public static final String TASK_REPORT_FAILED_NIGHT = "Task_ReportFailedNight";

	/** A failed, incomplete or skipped night, acknowledged. */
	public static final String END_NOT_BACKED_UP = "EndEvent_NotBackedUp";

	/** A backup taken for a release: the release reads the outcome. */
	public static final String END_FOR_RELEASE = "EndEvent_ForRelease";

	private NightlyBackupProcess() {
	}

}
