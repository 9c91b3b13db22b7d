package au.edu.unimelb.reporting.ops.backup;

import java.util.function.Consumer;
import java.util.function.Supplier;

import org.camunda.bpm.engine.delegate.BpmnError;

/**
 * Runs a backup or restore step for its delegate: a {@link StepFailedException} becomes
 * the BPMN error {@value NightlyBackupProcess#ERROR_STEP_FAILED} with its message, which
 * the model catches on the step's failure path; anything else is left to the engine's
 * retries and incidents.
 */
public final class StepErrors {

	private StepErrors() {
	}

	public static <T> T run(Supplier<T> step) {
		return run(step, (reason) -> {
		});
	}

	/**
	 * Runs a step; when it fails, first hands the reason to {@code onFailure} (which
	 * writes it down in the same transaction), then raises the BPMN error.
	 */
	public static <T> T run(Supplier<T> step, Consumer<String> onFailure) {
		try {
			return step.get();
		}
		catch (StepFailedException ex) {
			onFailure.accept(ex.getMessage());
			throw new BpmnError(NightlyBackupProcess.ERROR_STEP_FAILED, ex.getMessage());
		}
	}

	public static void run(Runnable step) {
		run(() -> {
			step.run();
			return null;
		});
	}

}
