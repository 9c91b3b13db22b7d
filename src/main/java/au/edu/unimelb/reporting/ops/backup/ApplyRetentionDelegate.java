package au.edu.unimelb.reporting.ops.backup;

import java.time.Instant;

import au.edu.unimelb.reporting.ops.nightly.StepErrors;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.backup.NightlyBackupProcess.RETENTION;
import static au.edu.unimelb.reporting.ops.backup.NightlyBackupProcess.SET_TIME;
import static au.edu.unimelb.reporting.ops.backup.NightlyBackupProcess.TIER;

/**
 * {@code Task_ApplyRetention}: only after the tier's verified upload; the plan, one line
 * per set with its reason, goes into the branch's {@code retention}.
 */
@Component("applyRetention")
class ApplyRetentionDelegate implements JavaDelegate {

	private final TierSteps tiers;

	ApplyRetentionDelegate(TierSteps tiers) {
		this.tiers = tiers;
	}

	@Override
	public void execute(DelegateExecution execution) {
		String tier = (String) execution.getVariable(TIER);
		Instant setTime = Instant.parse((String) execution.getVariable(SET_TIME));
		String plan = StepErrors.run(execution,
				() -> this.tiers.applyRetention(execution.getProcessInstanceId(), tier, setTime),
				(reason) -> this.tiers.noteRetentionFailure(execution.getProcessInstanceId(), tier, reason));
		execution.setVariable(RETENTION, plan);
	}

}
