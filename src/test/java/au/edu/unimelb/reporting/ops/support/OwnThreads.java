package au.edu.unimelb.reporting.ops.support;

import java.util.concurrent.Executor;

/**
 * Runs each task on a new daemon thread of its own. For the async work of tests: the
 * common fork-join pool has one thread on a two-core machine, so one long task there (a
 * node starting, a session held open) holds up every other, and two "concurrent" calls
 * run one after the other.
 */
public final class OwnThreads {

	/** A new thread per task. */
	public static final Executor EACH = (task) -> {
		Thread thread = new Thread(task, "test-task");
		thread.setDaemon(true);
		thread.start();
	};

	private OwnThreads() {
	}

}
