package au.edu.unimelb.reporting.ops.restore;

import au.edu.unimelb.reporting.ops.engine.RunEnd;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;

import org.springframework.stereotype.Component;

/**
 * The end listener of qa-restore: however the run ends (restored, failed, cancelled in
 * Cockpit; see {@link RunEnd}: the failure path ends without an outcome, so a run with a
 * failure reason ended {@code FAILED}) it closes the run's record, drops the temporary
 * database unless it became QA, deletes the staging folder and releases the backup lock;
 * the operators hear of a run that did not restore ({@link RestoreNotices}, after it
 * commits).
 */
@Component("finishRestoreRun")
class FinishRestoreRunListener implements ExecutionListener {

	private final QaRestoreService restore;

	private final RestoreNotices notices;

	FinishRestoreRunListener(QaRestoreService restore, RestoreNotices notices) {
		this.restore = restore;
		this.notices = notices;
	}

	@Override
	public void notify(DelegateExecution execution) {
		RunEnd end = RunEnd.of(execution);
		this.restore.finish(execution.getProcessInstanceId(), end.outcome(), end.detail());
		this.notices.runEnded(execution.getProcessInstanceId(), end);
	}

}
