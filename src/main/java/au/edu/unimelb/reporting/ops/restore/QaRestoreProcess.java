package au.edu.unimelb.reporting.ops.restore;

import java.util.Map;

import au.edu.unimelb.reporting.ops.engine.RunEnd;
import au.edu.unimelb.reporting.ops.nightly.BackupRecords;
import au.edu.unimelb.reporting.ops.nightly.StepErrors;

/**
 * Names of {@code processes/qa-restore.bpmn} and its delegates. nightly-backup starts it
 * by {@link #KEY}, with {@link #BACKUP_RUN}.
 */
public final class QaRestoreProcess {

	public static final String KEY = "qa-restore";

	/** Thrown by a step whose program failed: the run takes its failure path. */
	public static final String ERROR_STEP_FAILED = StepErrors.ERROR_STEP_FAILED;

	/** The error end event of a restore that left QA as it was. */
	public static final String ERROR_RESTORE_FAILED = "RESTORE_FAILED";

	// Variables
	public static final String INITIATOR = "initiator";

	/** The nightly-backup run that started it, if any. */
	public static final String BACKUP_RUN = "backupRun";

	/** The time of the daily set it restores (the QA data's as-of time). */
	public static final String BACKUP_TIME = "backupTime";

	/**
	 * The name of its temporary database, for people to read in Cockpit. The steps never
	 * read it back: they derive the name from the run's id.
	 */
	public static final String TEMP_DATABASE = "tempDatabase";

	public static final String OUTCOME = RunEnd.OUTCOME;

	public static final String FAILURE_REASON = RunEnd.FAILURE_REASON;

	// Outcomes
	public static final String RESTORED = BackupRecords.RESTORED;

	public static final String FAILED = RunEnd.FAILED;

	// Activity ids (readable, as drawn)
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
	public static final Map<String, String> OUTCOMES = Map.of(END_RESTORED, RESTORED);

	private QaRestoreProcess() {
	}

}
