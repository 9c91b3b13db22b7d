package au.edu.unimelb.reporting.ops.shell;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The programs {@link CommandRunner} runs at this moment, so that all of them can be
 * stopped at once (when this node can no longer keep its job locks), and each run learns
 * that it was stopped, and why.
 */
final class RunningPrograms {

	private static final Logger log = LoggerFactory.getLogger(RunningPrograms.class);

	private final Map<Process, String> running = new ConcurrentHashMap<>();

	private final Map<Process, String> stopped = new ConcurrentHashMap<>();

	/** A program started. */
	void add(Process process, String program) {
		this.running.put(process, program);
	}

	/**
	 * A program's run no longer waits for it (it ended, or was killed at its timeout).
	 */
	void remove(Process process) {
		this.running.remove(process);
	}

	/**
	 * @return why {@link #stopAll} stopped the program, or {@code null} when it did not
	 */
	String stopReason(Process process) {
		return this.stopped.remove(process);
	}

	/**
	 * Stops every program running now, children first.
	 * @return how many were stopped
	 */
	int stopAll(String reason) {
		int count = 0;
		for (Process process : this.running.keySet()) {
			// marked only while its run still counts it as running (atomic with the
			// removal)
			String program = this.running.computeIfPresent(process, (running, name) -> {
				this.stopped.put(running, reason);
				return name;
			});
			if (program != null) {
				log.warn("Stopping {} (pid {}): {}", program, process.pid(), reason);
				kill(process);
				count++;
			}
		}
		return count;
	}

	/** Kills the program and everything it started, children first. */
	static void kill(Process process) {
		process.descendants().forEach(ProcessHandle::destroyForcibly);
		process.destroyForcibly();
		try {
			process.waitFor(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
