package au.edu.unimelb.reporting.ops.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.awaitility.Awaitility;
import org.awaitility.core.TerminalFailureException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One of the project's scripts ({@code scripts/release.sh}, {@code scripts/sandbox})
 * running as a person or Jenkins runs it, from the repository's root: its output (stdout
 * and stderr) read line by line as it comes, its lines awaited, its exit code.
 */
public final class ScriptRun implements AutoCloseable {

	private final Process process;

	private final List<String> lines = new CopyOnWriteArrayList<>();

	/** Reads the script's output to its end. */
	private final Thread reader;

	private ScriptRun(Process process, String name) {
		this.process = process;
		this.reader = new Thread(() -> {
			try (BufferedReader out = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = out.readLine()) != null) {
					this.lines.add(line);
				}
			}
			catch (IOException ex) {
				// the script ended
			}
		}, name);
		this.reader.setDaemon(true);
		this.reader.start();
	}

	/**
	 * @param argv the script and its arguments
	 * @param environment variables on top of this JVM's
	 */
	public static ScriptRun start(List<String> argv, Map<String, String> environment) {
		ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
		builder.environment().putAll(environment);
		try {
			return new ScriptRun(builder.start(), argv.get(0));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Waits for a line that contains {@code text}; fails at once when the script ended
	 * without one.
	 */
	public void awaitLine(String text, Duration limit) {
		try {
			Awaitility.await("a line with '" + text + "' from the script")
				.atMost(limit)
				.pollInterval(Duration.ofMillis(200))
				// all its output read, and the line not in it: it will not come
				.failFast(() -> !this.reader.isAlive() && !hasLine(text))
				.untilAsserted(() -> assertThat(hasLine(text)).as(output()).isTrue());
		}
		catch (TerminalFailureException ended) {
			throw new AssertionError("The script ended without a line with '" + text + "': " + output(), ended);
		}
	}

	private boolean hasLine(String text) {
		return this.lines.stream().anyMatch((line) -> line.contains(text));
	}

	/** The release's process instance id, from release.sh's first line. */
	public String releaseId() {
		return this.lines.stream()
			.filter((line) -> line.contains("release ") && line.contains(" started"))
			.findFirst()
			.map((line) -> line.replaceAll(".*release ([0-9a-f-]+) of build.*", "$1"))
			.orElseThrow();
	}

	/** Waits for the end; its exit code. */
	public int awaitExit(Duration limit) throws InterruptedException {
		if (!this.process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
			throw new AssertionError("The script did not end within " + limit + ": " + output());
		}
		// the rest of its output
		this.reader.join(Duration.ofSeconds(10).toMillis());
		return this.process.exitValue();
	}

	public String output() {
		return String.join("\n", this.lines);
	}

	/**
	 * Stops the script and every program it started (a script run through {@code runuser}
	 * or {@code sudo} leaves its own children behind when only it is stopped:
	 * {@code release.sh} would then follow a vanished service for an hour).
	 */
	@Override
	public void close() {
		List<ProcessHandle> all = new ArrayList<>(this.process.descendants().toList());
		all.add(this.process.toHandle());
		all.forEach(ProcessHandle::destroy);
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		for (ProcessHandle handle : all) {
			try {
				handle.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (ExecutionException | TimeoutException ex) {
				// stopped forcibly below
			}
			if (handle.isAlive()) {
				handle.destroyForcibly();
			}
		}
	}

}
