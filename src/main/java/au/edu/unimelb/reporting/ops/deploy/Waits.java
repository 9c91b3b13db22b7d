package au.edu.unimelb.reporting.ops.deploy;

import java.time.Duration;
import java.time.Instant;

import org.camunda.bpm.engine.delegate.DelegateExecution;

import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.POLL_INTERVAL;

/**
 * The variables of the models' waiting loops: deadlines as ISO instants, and the timer's
 * next wait as an ISO duration ({@code PT0.75S}) that grows with each round.
 */
final class Waits {

	private Waits() {
	}

	static void setDeadline(DelegateExecution execution, String variable, Instant deadline) {
		execution.setVariable(variable, deadline.toString());
	}

	static Instant deadline(DelegateExecution execution, String variable) {
		Object value = execution.getVariable(variable);
		if (value == null) {
			throw new IllegalStateException("The variable " + variable + " is missing");
		}
		return Instant.parse(value.toString());
	}

	/** Sets the wait before the next check of a pending loop. */
	static void waitLonger(DelegateExecution execution, DeploySettings settings) {
		Object previous = execution.getVariable(POLL_INTERVAL);
		Duration next = settings.nextPoll((previous != null) ? Duration.parse(previous.toString()) : null);
		execution.setVariable(POLL_INTERVAL, next.toString());
	}

	/**
	 * Writes the outcome of one check of a waiting loop: its state for the gateway; a
	 * pending check makes the next wait longer, an ended one resets the wait and, when it
	 * failed, records why in {@code failureReason}.
	 */
	static void record(DelegateExecution execution, String stateVariable, Check check, DeploySettings settings) {
		execution.setVariable(stateVariable, check.state());
		if (DeployReplaceProcess.PENDING.equals(check.state())) {
			waitLonger(execution, settings);
			return;
		}
		reset(execution);
		if (DeployReplaceProcess.FAILED.equals(check.state())) {
			execution.setVariable(DeployReplaceProcess.FAILURE_REASON, check.reason());
		}
	}

	/** Ends a loop: the next loop starts again with the shortest wait. */
	static void reset(DelegateExecution execution) {
		execution.removeVariable(POLL_INTERVAL);
	}

}
