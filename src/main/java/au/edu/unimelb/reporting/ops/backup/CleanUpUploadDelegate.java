package au.edu.unimelb.reporting.ops.backup;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.backup.NightlyBackupProcess.TIER;

/**
 * {@code Task_CleanUpUpload}: the failure path of a tier (its step noted why in the run's
 * record): {@code duplicity cleanup} of what the failed upload left. Older sets are left
 * alone.
 */
@Component("cleanUpUpload")
class CleanUpUploadDelegate implements JavaDelegate {

	private final TierSteps tiers;

	CleanUpUploadDelegate(TierSteps tiers) {
		this.tiers = tiers;
	}

	@Override
	public void execute(DelegateExecution execution) {
		this.tiers.cleanUpTier(execution.getProcessInstanceId(), (String) execution.getVariable(TIER));
	}

}
