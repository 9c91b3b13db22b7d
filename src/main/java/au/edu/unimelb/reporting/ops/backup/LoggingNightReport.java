package au.edu.unimelb.reporting.ops.backup;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Logs every night: a verified one at INFO, a failed, incomplete or skipped one at ERROR
 * (what a log alert matches on).
 */
@Component
class LoggingNightReport implements NightReport {

	private static final Logger log = LoggerFactory.getLogger(LoggingNightReport.class);

	@Override
	public void nightEnded(Night night) {
		if (night.failed()) {
			log.error("Backup night {} ended {}{}: {}", night.runId(), night.outcome(),
					night.forRelease() ? " (taken for a release)" : "", night.detail());
		}
		else {
			log.info("Backup night {} ended {}{}", night.runId(), night.outcome(),
					night.forRelease() ? " (taken for a release)" : "");
		}
	}

}
