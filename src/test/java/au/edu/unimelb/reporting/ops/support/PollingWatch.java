package au.edu.unimelb.reporting.ops.support;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Reads something over and over on a thread of its own while a test runs (the web front's
 * target, whether QA's database exists) and notes each moment the reading is wrong.
 */
public final class PollingWatch implements AutoCloseable {

	private final List<String> problems = new CopyOnWriteArrayList<>();

	private final Thread thread;

	private volatile boolean running = true;

	private volatile int reads;

	/**
	 * @param name the thread's name
	 * @param every the pause between two readings
	 * @param reading one reading: what is wrong at this moment, or {@code null}
	 */
	public PollingWatch(String name, Duration every, Reading reading) {
		this.thread = new Thread(() -> watch(every, reading), name);
		this.thread.setDaemon(true);
		this.thread.start();
	}

	private void watch(Duration every, Reading reading) {
		while (this.running) {
			try {
				String problem = reading.problem();
				if (problem != null) {
					this.problems.add(Instant.now() + " " + problem);
				}
				this.reads++;
				Thread.sleep(every.toMillis());
			}
			catch (InterruptedException ex) {
				return;
			}
			catch (Exception ex) {
				this.problems.add(Instant.now() + " cannot read: " + ex.getMessage());
			}
		}
	}

	/** The wrong readings so far, each with its time. */
	public List<String> problems() {
		return List.copyOf(this.problems);
	}

	public int reads() {
		return this.reads;
	}

	@Override
	public void close() throws InterruptedException {
		this.running = false;
		this.thread.join(5000);
	}

	/** One reading. */
	@FunctionalInterface
	public interface Reading {

		/**
		 * @return what is wrong now, or {@code null}
		 */
		String problem() throws Exception;

	}

}
