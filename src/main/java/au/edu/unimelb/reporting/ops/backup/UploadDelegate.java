package au.edu.unimelb.reporting.ops.backup;

import java.time.Instant;

import au.edu.unimelb.reporting.ops.nightly.StepErrors;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.backup.NightlyBackupProcess.RUN_STARTED_AT;
import static au.edu.unimelb.reporting.ops.backup.NightlyBackupProcess.SET_TIME;
import static au.edu.unimelb.reporting.ops.backup.NightlyBackupProcess.TIER;

/**
 * {@code Task_Upload} (one per tier, concurrently): the tier gets a copy of the set the
 * dump step encrypted once ({@code file://}), or {@code duplicity full} of the dump
 * ({@code swift://}); the set's time goes into the branch's {@code setTime}.
 */
@Component("uploadToTier")
class UploadDelegate implements JavaDelegate {

	private final TierSteps tiers;

	UploadDelegate(TierSteps tiers) {
		this.tiers = tiers;
	}

	@Override
	public void execute(DelegateExecution execution) {
		String tier = (String) execution.getVariable(TIER);
		Instant runStartedAt = Instant.parse((String) execution.getVariable(RUN_STARTED_AT));
		Instant setTime = StepErrors.run(execution,
				() -> this.tiers.upload(execution.getProcessInstanceId(), tier, runStartedAt),
				(reason) -> this.tiers.noteTierFailure(execution.getProcessInstanceId(), tier, reason));
		execution.setVariable(SET_TIME, setTime.toString());
	}

}
