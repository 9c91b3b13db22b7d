package au.edu.unimelb.reporting.ops.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
			try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
				for (Path process : processes) {
					String argv = read(process.resolve("cmdline"));
					if (argv.isEmpty()) {
						continue;
					}
					this.seen.add(program(argv.split("\0")));
					for (String secret : this.secrets) {
						if (argv.contains(secret)) {
							this.leaks.add(argv.replace('\0', ' '));
						}
					}
				}
				Thread.sleep(5);
			}
			catch (IOException ex) {
				// a process went away while being read: next round
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

	/**
	 * Names a process by its program (past an interpreter such as python3 or perl) and
	 * its first argument when that is a word: {@code duplicity full}, {@code pg_dump}.
	 */
	static String program(String[] words) {
		int at = 0;
		while (at < words.length - 1 && INTERPRETER.matcher(baseName(words[at])).matches()) {
			at++;
		}
		String name = baseName(words[at]);
		boolean subcommand = at + 1 < words.length && words[at + 1].matches("[a-z][a-z-]*");
		return subcommand ? name + " " + words[at + 1] : name;
	}

	private static final java.util.regex.Pattern INTERPRETER = java.util.regex.Pattern
		.compile("python[0-9.]*|perl|sh|bash");

	private static String baseName(String path) {
		int slash = path.lastIndexOf('/');
		return (slash >= 0) ? path.substring(slash + 1) : path;
	}

	private static String read(Path file) {
		try {
			return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "";
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
