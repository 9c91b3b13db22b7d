package au.edu.unimelb.reporting.ops.backup;

import java.time.Instant;

import au.edu.unimelb.reporting.ops.nightly.StepErrors;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.backup.NightlyBackupProcess.SET_TIME;
import static au.edu.unimelb.reporting.ops.backup.NightlyBackupProcess.TIER;

/**
 * {@code Task_Verify}: collection-status lists the new set, and verify --compare-data
 * matches it with the dump.
 */
@Component("verifyTier")
class VerifyDelegate implements JavaDelegate {

	private final TierSteps tiers;

	VerifyDelegate(TierSteps tiers) {
		this.tiers = tiers;
	}

	@Override
	public void execute(DelegateExecution execution) {
		String tier = (String) execution.getVariable(TIER);
		Instant setTime = Instant.parse((String) execution.getVariable(SET_TIME));
		StepErrors.run(execution, () -> {
			this.tiers.verify(execution.getProcessInstanceId(), tier, setTime);
			return null;
		}, (reason) -> this.tiers.noteTierFailure(execution.getProcessInstanceId(), tier, reason));
	}

}
