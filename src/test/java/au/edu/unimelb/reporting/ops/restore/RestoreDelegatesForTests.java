package au.edu.unimelb.reporting.ops.restore;

import org.camunda.bpm.engine.test.mock.Mocks;

import static org.mockito.Mockito.mock;

/**
 * Registers qa-restore's delegates over a (mocked) {@link QaRestoreService} and
 * {@link QaMigrations}, for the process tests of both models.
 */
public final class RestoreDelegatesForTests {

	private RestoreDelegatesForTests() {
	}

	public static void register(QaRestoreService restore) {
		register(restore, mock(QaMigrations.class));
	}

	static void register(QaRestoreService restore, QaMigrations migrations) {
		Mocks.register("acceptRestore", new AcceptRestoreDelegate(restore));
		Mocks.register("fetchBackup", new FetchBackupDelegate(restore));
		Mocks.register("restoreIntoTemp", new RestoreIntoTempDelegate(restore));
		Mocks.register("compareWithBackup", new CompareWithBackupDelegate(restore));
		Mocks.register("swapIntoQa", new SwapIntoQaDelegate(restore));
		Mocks.register("migrateQa", new MigrateQaDelegate(migrations));
		Mocks.register("dropTempDatabase", new DropTempDatabaseDelegate(restore));
		Mocks.register("finishRestoreRun", new FinishRestoreRunListener(restore,
				new RestoreNotices(au.edu.unimelb.reporting.ops.support.TestNotices.off())));
		Mocks.register("restoreOutcome", new RestoreOutcomeListener());
	}

}
