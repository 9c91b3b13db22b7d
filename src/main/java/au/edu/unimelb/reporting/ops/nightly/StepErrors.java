package au.edu.unimelb.reporting.ops.nightly;

import java.io.UncheckedIOException;
import java.util.function.Consumer;
import java.util.function.Supplier;

import au.edu.unimelb.reporting.ops.postgres.DatabaseException;
import au.edu.unimelb.reporting.ops.shell.CommandFailedException;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a backup or restore step for its delegate. A {@link StepFailedException} that is
 * {@linkplain StepFailedException#isRetryable() retryable} (a program's error exit or
 * timeout, the database unreachable) is thrown on while the step's job has tries left, so
 * the engine tries the step again on its {@code failedJobRetryTimeCycle}; on its last
 * try, and at once for a verdict (a set that does not verify, row counts that differ), it
 * becomes the BPMN error {@value #ERROR_STEP_FAILED} with its message, which the model
 * catches on the step's failure path. Anything else is left to the engine's retries and
 * incidents.
 */
public final class StepErrors {

	/**
	 * The BPMN error a step that failed for good raises; nightly-backup and qa-restore
	 * catch it on the step's failure path.
	 */
	public static final String ERROR_STEP_FAILED = "STEP_FAILED";

	private static final Logger log = LoggerFactory.getLogger(StepErrors.class);

	private StepErrors() {
	}

	public static <T> T run(DelegateExecution execution, Supplier<T> step) {
		return run(execution, step, (reason) -> {
		});
	}

	/**
	 * Runs a step; when it fails for good, first hands the reason to {@code onFailure}
	 * (which writes it down in the same transaction), then raises the BPMN error.
	 */
	public static <T> T run(DelegateExecution execution, Supplier<T> step, Consumer<String> onFailure) {
		try {
			return programFailuresRetryable(step);
		}
		catch (StepFailedException ex) {
			if (ex.isRetryable()) {
				StepTries tries = StepTries.of(execution);
				if (!tries.isLast()) {
					log.warn("{} (try {} of {}; tried again on the step's retry cycle)", ex.getMessage(),
							tries.current(), tries.total());
					throw ex;
				}
				if (tries.total() > 1) {
					log.warn("{} (try {} of {}, the last: giving up)", ex.getMessage(), tries.current(), tries.total());
				}
			}
			onFailure.accept(ex.getMessage());
			throw new BpmnError(ERROR_STEP_FAILED, ex.getMessage());
		}
	}

	/**
	 * A program that failed outside a step's own checks (starting GnuPG's agent, say),
	 * the database unreachable, or the staging folder unwritable is as transient as a
	 * failed upload: tried again, then the tier's or run's failure path, never an
	 * incident that keeps the backup lock.
	 */
	private static <T> T programFailuresRetryable(Supplier<T> step) {
		try {
			return step.get();
		}
		catch (CommandFailedException | DatabaseException | UncheckedIOException ex) {
			throw StepFailedException.retryable(ex.getMessage());
		}
	}

	public static void run(DelegateExecution execution, Runnable step) {
		run(execution, () -> {
			step.run();
			return null;
		});
	}

}
