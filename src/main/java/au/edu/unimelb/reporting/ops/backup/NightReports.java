package au.edu.unimelb.reporting.ops.backup;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Tells every {@link NightReport} bean how a night ended, after the current transaction
 * commits (at once when there is none); a failing one is logged, never thrown.
 */
@Component
public class NightReports {

	private static final Logger log = LoggerFactory.getLogger(NightReports.class);

	private final List<NightReport> reports;

	public NightReports(List<NightReport> reports) {
		this.reports = List.copyOf(reports);
	}

	public void tell(NightReport.Night night) {
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					tellNow(night);
				}
			});
		}
		else {
			tellNow(night);
		}
	}

	private void tellNow(NightReport.Night night) {
		for (NightReport report : this.reports) {
			try {
				report.nightEnded(night);
			}
			catch (RuntimeException ex) {
				log.warn("Telling {} about backup night {} failed: {}", report.getClass().getSimpleName(),
						night.runId(), ex.toString());
			}
		}
	}

}
