package au.edu.unimelb.reporting.ops.restore;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;

import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.restore.QaRestoreProcess.FAILED;
import static au.edu.unimelb.reporting.ops.restore.QaRestoreProcess.FAILURE_REASON;
import static au.edu.unimelb.reporting.ops.restore.QaRestoreProcess.OUTCOME;

/**
 * The end listener of qa-restore: however the run ends (restored, failed, cancelled in
 * Cockpit) it closes the run's record, drops the temporary database unless it became QA,
 * deletes the staging folder and releases the backup lock.
 */
@Component("finishRestoreRun")
class FinishRestoreRunListener implements ExecutionListener {

	private final QaRestoreService restore;

	FinishRestoreRunListener(QaRestoreService restore) {
		this.restore = restore;
	}

	@Override
	public void notify(DelegateExecution execution) {
		Object outcome = execution.getVariable(OUTCOME);
		String reason = (String) execution.getVariable(FAILURE_REASON);
		String ended = (outcome != null) ? outcome.toString() : (reason != null) ? FAILED : "CANCELLED";
		this.restore.finish(execution.getProcessInstanceId(), ended,
				(reason != null) ? reason : (outcome == null) ? "cancelled before it finished" : null);
	}

}
