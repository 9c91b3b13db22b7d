package au.edu.unimelb.reporting.ops.backup;

import java.time.Duration;

import au.edu.unimelb.reporting.ops.nightly.StepErrors;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.backup.NightlyBackupProcess.DUMP_BYTES;

/**
 * {@code Task_DumpDatabase}: pg_dump of Prod from an exported snapshot, with its row
 * counts, checked with {@code pg_restore --list}, and encrypted once for {@code file://}
 * tiers to copy.
 */
@Component("dumpDatabase")
class DumpDatabaseDelegate implements JavaDelegate {

	private final BackupService backup;

	private final BackupMetrics metrics;

	DumpDatabaseDelegate(BackupService backup, BackupMetrics metrics) {
		this.backup = backup;
		this.metrics = metrics;
	}

	@Override
	public void execute(DelegateExecution execution) {
		long bytes = StepErrors.run(execution, () -> {
			long start = System.nanoTime();
			long size = this.backup.dump(execution.getProcessInstanceId());
			this.metrics.dumped(Duration.ofNanos(System.nanoTime() - start));
			return size;
		});
		execution.setVariable(DUMP_BYTES, bytes);
	}

}
