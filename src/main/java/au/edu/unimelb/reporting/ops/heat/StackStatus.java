package au.edu.unimelb.reporting.ops.heat;

import java.util.Locale;

/**
 * A Heat stack's status ({@code stack_status}), mapped from Heat's strings; anything this
 * service does not know is {@link #UNKNOWN}, never an error.
 */
public enum StackStatus {

	CREATE_IN_PROGRESS, CREATE_COMPLETE, CREATE_FAILED, DELETE_IN_PROGRESS, DELETE_COMPLETE, DELETE_FAILED,
	UPDATE_IN_PROGRESS, UPDATE_COMPLETE, UPDATE_FAILED, ROLLBACK_IN_PROGRESS, ROLLBACK_COMPLETE, ROLLBACK_FAILED,
	/** The stack does not exist (any more). */
	GONE, UNKNOWN;

	/**
	 * @param heatStatus Heat's {@code stack_status}, for example {@code CREATE_COMPLETE}
	 * @return the status, {@link #UNKNOWN} for {@code null} or a status this service does
	 * not know
	 */
	public static StackStatus of(String heatStatus) {
		if (heatStatus == null) {
			return UNKNOWN;
		}
		try {
			return valueOf(heatStatus.trim().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException unknown) {
			return UNKNOWN;
		}
	}

	public boolean isFailed() {
		return name().endsWith("_FAILED");
	}

	public boolean isInProgress() {
		return name().endsWith("_IN_PROGRESS");
	}

}
