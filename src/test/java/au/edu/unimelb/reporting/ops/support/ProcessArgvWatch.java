package au.edu.unimelb.reporting.ops.support;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches the argv of every process on the machine (from {@code /proc/PID/cmdline}, every
 * few milliseconds) while a test runs: it records which programs it saw, and any argv
 * that holds one of the given secrets.
 */
public final class ProcessArgvWatch implements AutoCloseable {

	private final List<String> secrets;

	private final Set<String> seen = ConcurrentHashMap.newKeySet();

	private final Set<String> leaks = ConcurrentHashMap.newKeySet();

	private final Thread thread;

	private volatile boolean running = true;

	public ProcessArgvWatch(Collection<String> secrets) {
		this.secrets = List.copyOf(secrets);
		this.thread = new Thread(this::watch, "argv-watch");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	private void watch() {
		while (this.running) {
			for (long pid : Proc.pids()) {
				List<String> argv = Proc.argv(pid);
				if (argv.isEmpty()) {
					continue;
				}
				this.seen.add(Proc.program(argv));
				String line = String.join(" ", argv);
				for (String secret : this.secrets) {
					if (line.contains(secret)) {
						this.leaks.add(line);
					}
				}
			}
			try {
				Thread.sleep(5);
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

	/** The programs seen, as {@code name} or {@code name first-argument}. */
	public Set<String> seen() {
		return Set.copyOf(this.seen);
	}

	/** The argv lines that held a secret. */
	public Set<String> leaks() {
		return Set.copyOf(this.leaks);
	}

	@Override
	public void close() throws InterruptedException {
		this.running = false;
		this.thread.join(2000);
	}

}
