package au.edu.unimelb.reporting.ops.restore;

import au.edu.unimelb.reporting.ops.engine.StartedBy;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.restore.QaRestoreProcess.BACKUP_RUN;
import static au.edu.unimelb.reporting.ops.restore.QaRestoreProcess.INITIATOR;
import static au.edu.unimelb.reporting.ops.restore.QaRestoreProcess.TEMP_DATABASE;

/**
 * {@code Task_AcceptRestore} (synchronous, in the starting transaction): refuses when QA
 * is the Prod database (asked of the servers), takes the backup lock, opens the run's
 * record and writes the temporary database's name into {@code tempDatabase} for people to
 * read. A refusal starts nothing and touches nothing.
 */
@Component("acceptRestore")
class AcceptRestoreDelegate implements JavaDelegate {

	private final QaRestoreService restore;

	AcceptRestoreDelegate(QaRestoreService restore) {
		this.restore = restore;
	}

	@Override
	public void execute(DelegateExecution execution) {
		// who started it as the engine authenticated them; nobody: the nightly's
		// hand-over
		String initiator = StartedBy.resetInitiator(execution, INITIATOR);
		Object backupRun = execution.getVariable(BACKUP_RUN);
		String startedBy = (initiator != null) ? initiator
				: (backupRun != null) ? "nightly-backup " + backupRun : "unknown";
		String temp = this.restore.acceptRestore(execution.getProcessInstanceId(), startedBy);
		execution.setVariable(TEMP_DATABASE, temp);
	}

}
