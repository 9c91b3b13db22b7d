package au.edu.unimelb.reporting.ops.nightly;

import org.springframework.stereotype.Component;

/**
 * The retry cycle of the nightly-backup and qa-restore steps, for both models
 * ({@code ${nightlyRetries.retryCycle}} in their {@code failedJobRetryTimeCycle}): one
 * setting, {@code ops.backup.retry-cycle}, read where backup and restore share what they
 * share, so that neither model names a bean of the other's feature.
 */
@Component("nightlyRetries")
public class NightlyRetries {

	private final BackupSettings settings;

	public NightlyRetries(BackupSettings settings) {
		this.settings = settings;
	}

	/** An ISO repeat cycle ({@code R3/PT5M}). */
	public String getRetryCycle() {
		return this.settings.retryCycle();
	}

}
