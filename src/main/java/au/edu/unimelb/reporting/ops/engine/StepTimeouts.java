package au.edu.unimelb.reporting.ops.engine;

import java.time.Duration;
import java.util.Map;

/**
 * Contributes the longest times the steps of one feature may wait on another machine: the
 * calls that, once sent, nothing on this node can stop (a Heat request, an SSH command, a
 * health probe). {@link JobLockTime} collects every bean of this type and refuses to
 * start when the job lock is not longer than the longest of them; a feature whose steps
 * make such calls offers one (its settings record, or a small component when the limits
 * come from {@code ops.environments}).
 */
public interface StepTimeouts {

	/**
	 * @return the longest each kind of call may take, by the setting that sets it (as the
	 * refusal names it)
	 */
	Map<String, Duration> stepTimeouts();

}
