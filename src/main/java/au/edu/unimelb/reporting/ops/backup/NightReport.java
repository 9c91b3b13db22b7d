package au.edu.unimelb.reporting.ops.backup;

/**
 * Told how each backup night ended, after the engine's transaction committed (so a night
 * is told once, and only when it is recorded). A hook for the people on call: the service
 * logs every night ({@link LoggingNightReport}); a mail or chat notice is another bean of
 * this type. Telling never breaks the work: an exception from an implementation is logged
 * and ignored.
 */
public interface NightReport {

	void nightEnded(Night night);

	/**
	 * How a night ended.
	 *
	 * @param runId the nightly-backup process instance
	 * @param outcome {@code BACKED_UP}, {@code INCOMPLETE}, {@code FAILED} or
	 * {@code SKIPPED}
	 * @param detail why, for every outcome but {@code BACKED_UP}
	 * @param forRelease whether a release took it before deploying to Prod (the release
	 * reports its own outcome; no incident)
	 */
	record Night(String runId, String outcome, String detail, boolean forRelease) {

		public boolean failed() {
			return !NightlyBackupProcess.BACKED_UP.equals(this.outcome);
		}

	}

}
