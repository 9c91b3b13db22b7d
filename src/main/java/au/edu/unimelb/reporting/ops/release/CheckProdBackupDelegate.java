package au.edu.unimelb.reporting.ops.release;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.release.ReleaseProcess.BUILD;

/**
 * {@code Task_CheckProdBackup}: the last verified Prod backup must be younger than
 * {@code ops.release.max-backup-age}; otherwise the step fails, and after its retries
 * waits as an incident that says so, until an operator retries it after a backup.
 */
@Component("checkProdBackup")
class CheckProdBackupDelegate implements JavaDelegate {

	private final ReleaseService releases;

	CheckProdBackupDelegate(ReleaseService releases) {
		this.releases = releases;
	}

	@Override
	public void execute(DelegateExecution execution) {
		this.releases.checkProdBackup((String) execution.getVariable(BUILD));
	}

}
