package au.edu.unimelb.reporting.ops.backup;

import java.util.Map;

import au.edu.unimelb.reporting.ops.engine.RunEnd;

/**
 * Names shared by {@code processes/nightly-backup.bpmn},
 * {@code processes/qa-restore.bpmn} and their delegates.
 */
public final class NightlyBackupProcess {

	public static final String KEY = "nightly-backup";

	public static final String RESTORE_KEY = "qa-restore";

	/** Thrown by a step whose program failed: the run takes its failure path. */
	public static final String ERROR_STEP_FAILED = "STEP_FAILED";

	/** The error end event of a restore that left QA as it was. */
	public static final String ERROR_RESTORE_FAILED = "RESTORE_FAILED";

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

	/** qa-restore: the nightly-backup run that started it, if any. */
	public static final String BACKUP_RUN = "backupRun";

	/** qa-restore: the time of the daily set it restores (the QA data's as-of time). */
	public static final String BACKUP_TIME = "backupTime";

	/**
	 * qa-restore: the name of its temporary database, for people to read in Cockpit. The
	 * steps never read it back: they derive the name from the run's id.
	 */
	public static final String TEMP_DATABASE = "tempDatabase";

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

	public static final String RESTORED = "RESTORED";

	/**
	 * A nightly run that found another backup or restore still running, and did nothing.
	 */
	public static final String SKIPPED = "SKIPPED";

	public static final String FAILED = "FAILED";

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

	public static final String TASK_ACCEPT_RESTORE = "Task_AcceptRestore";

	public static final String TASK_FETCH_BACKUP = "Task_FetchBackup";

	public static final String TASK_RESTORE_INTO_TEMP = "Task_RestoreIntoTemp";

	public static final String TASK_COMPARE = "Task_CompareWithBackup";

	public static final String TASK_SWAP_INTO_QA = "Task_SwapIntoQa";

	public static final String TASK_MIGRATE = "Task_MigrateQa";

	public static final String TASK_DROP_TEMP = "Task_DropTempDatabase";

	public static final String END_RESTORED = "EndEvent_Restored";

	public static final String END_RESTORE_FAILED = "EndEvent_RestoreFailed";

	/**
	 * The outcome each end event of qa-restore that sets one stands for, set by its start
	 * listener {@code restoreOutcome}. The failure path sets none: the run's end listener
	 * records it {@link #FAILED} from its failure reason.
	 */
	public static final Map<String, String> RESTORE_OUTCOMES = Map.of(END_RESTORED, RESTORED);

	private NightlyBackupProcess() {
	}

}
