package au.edu.unimelb.reporting.ops.engine;

import java.util.Map;

import org.camunda.bpm.engine.delegate.DelegateExecution;

/**
 * How a run ended: the one rule the end listeners of every process record.
 * <ul>
 * <li>A run that reached an end event ended with the outcome that end event stands for
 * (its start listener calls {@link #reached}; a step may have set it earlier), and with
 * the failure reason a step recorded, if any.</li>
 * <li>A run that reached no such end event but whose step recorded a failure reason ended
 * {@value #FAILED}, with that reason: it failed, whether it was then cancelled on its
 * failure path or ended there without an outcome (the restore's failure end).</li>
 * <li>Any other run was stopped before it said how it ended (cancelled in Cockpit or
 * through the REST API): it ended {@value #CANCELLED}, with
 * {@value #CANCELLED_DETAIL}.</li>
 * </ul>
 * The variables are the same in every model: {@value #OUTCOME} and
 * {@value #FAILURE_REASON}.
 */
public final class RunEnd {

	/** The variable that says how a run ended. */
	public static final String OUTCOME = "outcome";

	/** The variable in which a step records why the run failed. */
	public static final String FAILURE_REASON = "failureReason";

	/**
	 * The outcome of a run that recorded why it failed and reached no end event's
	 * outcome.
	 */
	public static final String FAILED = "FAILED";

	/** The outcome of a run stopped before it reached an end event. */
	public static final String CANCELLED = "CANCELLED";

	/** The detail of a cancelled run that no step gave a reason for. */
	public static final String CANCELLED_DETAIL = "cancelled before it finished";

	private final String outcome;

	private final String failureReason;

	private RunEnd(String outcome, String failureReason) {
		this.outcome = outcome;
		this.failureReason = failureReason;
	}

	/**
	 * Reads how the run of this execution ended, for the process's end listener.
	 */
	public static RunEnd of(DelegateExecution execution) {
		return new RunEnd(text(execution.getVariable(OUTCOME)), text(execution.getVariable(FAILURE_REASON)));
	}

	/**
	 * Sets the outcome of the end event this execution reached: the start listener of
	 * every end event that ends a run.
	 * @param outcomes each end event's id and the outcome it stands for (the process's
	 * constants)
	 * @throws IllegalStateException when the end event has none
	 */
	public static void reached(DelegateExecution execution, Map<String, String> outcomes) {
		String endEvent = execution.getCurrentActivityId();
		String outcome = outcomes.get(endEvent);
		if (outcome == null) {
			throw new IllegalStateException("The end event " + endEvent + " of " + execution.getProcessDefinitionId()
					+ " has no outcome in its process's constants");
		}
		execution.setVariable(OUTCOME, outcome);
	}

	/**
	 * @return whether the run reached an end event that said how it ended
	 */
	public boolean finished() {
		return this.outcome != null;
	}

	/**
	 * @return the outcome the run ended with; else {@value #FAILED} when a step recorded
	 * a failure reason; else {@value #CANCELLED}
	 */
	public String outcome() {
		if (finished()) {
			return this.outcome;
		}
		return (this.failureReason != null) ? FAILED : CANCELLED;
	}

	/**
	 * @return the failure reason a step recorded, else {@value #CANCELLED_DETAIL} for a
	 * cancelled run, else {@code null}
	 */
	public String detail() {
		return detail(null);
	}

	/**
	 * @param otherwise what the run records when no step recorded a failure reason (for
	 * example the tester's answer), or {@code null}
	 * @return the failure reason a step recorded, else {@code otherwise}, else
	 * {@value #CANCELLED_DETAIL} for a cancelled run, else {@code null}
	 */
	public String detail(String otherwise) {
		if (this.failureReason != null) {
			return this.failureReason;
		}
		if (otherwise != null) {
			return otherwise;
		}
		return finished() ? null : CANCELLED_DETAIL;
	}

	private static String text(Object value) {
		return (value != null) ? value.toString() : null;
	}

}
