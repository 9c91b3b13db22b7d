package au.edu.unimelb.reporting.ops.support;

import java.io.IOException;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.PreInterruptCallback;
import org.junit.jupiter.api.extension.PreInterruptContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * When a test or lifecycle method runs out of its time limit ({@code @Timeout}, or the
 * defaults in failsafe's configuration), prints the stack of every thread of the JVM as
 * it is at that moment, before JUnit interrupts the method: where the test hangs, and
 * what the service's threads (job executor, web server, programs' stream readers) were
 * doing meanwhile. The same dump is written to {@code target/thread-dumps/}, and the
 * timeout's failure names that file (as a suppressed exception), so the report says where
 * to look. Every {@code *IT} class registers it with {@code @ExtendWith}.
 */
public final class ThreadDumpOnTimeout
		implements PreInterruptCallback, TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {

	static final Path DUMPS = Path.of("target", "thread-dumps");

	private static final String FILE = "dump-file";

	private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")
		.withZone(ZoneOffset.UTC);

	@Override
	public void beforeThreadInterrupt(PreInterruptContext preInterrupt, ExtensionContext context) {
		Thread hung = preInterrupt.getThreadToInterrupt();
		String where = context.getUniqueId();
		String dump = "Time limit reached in " + describe(context) + "; thread dump before interrupting \""
				+ hung.getName() + "\":\n" + dump(hung);
		// System.err: the build's output, where the failure is read (failsafe passes it
		// on)
		System.err.println(dump);
		try {
			Files.createDirectories(DUMPS);
			Path file = DUMPS.resolve(fileName(context)).toAbsolutePath();
			Files.writeString(file, dump);
			context.getStore(ExtensionContext.Namespace.create(ThreadDumpOnTimeout.class, where)).put(FILE, file);
		}
		catch (IOException ex) {
			System.err.println("Could not write the thread dump to " + DUMPS + ": " + ex);
		}
	}

	@Override
	public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
		throw noted(context, failure);
	}

	@Override
	public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
		throw noted(context, failure);
	}

	@Override
	public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
		throw noted(context, failure);
	}

	@Override
	public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
		throw noted(context, failure);
	}

	@Override
	public void handleAfterAllMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
		throw noted(context, failure);
	}

	/** A timeout's failure gets the name of its dump's file. */
	private static Throwable noted(ExtensionContext context, Throwable failure) {
		if (failure instanceof TimeoutException) {
			Path file = context
				.getStore(ExtensionContext.Namespace.create(ThreadDumpOnTimeout.class, context.getUniqueId()))
				.remove(FILE, Path.class);
			if (file != null) {
				failure.addSuppressed(new ThreadDumpWritten(file));
			}
		}
		return failure;
	}

	/**
	 * Every thread's stack in full (unlike {@link ThreadInfo#toString()}, which stops at
	 * eight frames), the locks each holds and waits for, and any deadlock; the given
	 * thread first.
	 */
	static String dump(Thread first) {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		ThreadInfo[] infos = threads.dumpAllThreads(threads.isObjectMonitorUsageSupported(),
				threads.isSynchronizerUsageSupported());
		Arrays.sort(infos, Comparator.comparing((ThreadInfo info) -> info.getThreadId() != first.getId())
			.thenComparing(ThreadInfo::getThreadName));
		StringBuilder out = new StringBuilder();
		long[] deadlocked = threads.findDeadlockedThreads();
		if (deadlocked != null) {
			out.append("DEADLOCK between threads ").append(Arrays.toString(deadlocked)).append('\n');
		}
		out.append(infos.length).append(" threads\n");
		for (ThreadInfo info : infos) {
			out.append('\n').append(describe(info));
		}
		return out.toString();
	}

	private static String describe(ThreadInfo info) {
		StringBuilder out = new StringBuilder();
		out.append('"')
			.append(info.getThreadName())
			.append("\" #")
			.append(info.getThreadId())
			.append(info.isDaemon() ? " daemon" : "")
			.append(' ')
			.append(info.getThreadState());
		if (info.getLockName() != null) {
			out.append(" on ").append(info.getLockName());
			if (info.getLockOwnerName() != null) {
				out.append(" owned by \"").append(info.getLockOwnerName()).append("\" #").append(info.getLockOwnerId());
			}
		}
		out.append('\n');
		StackTraceElement[] stack = info.getStackTrace();
		for (int depth = 0; depth < stack.length; depth++) {
			out.append("\tat ").append(stack[depth]).append('\n');
			for (MonitorInfo monitor : info.getLockedMonitors()) {
				if (monitor.getLockedStackDepth() == depth) {
					out.append("\t- locked ").append(monitor).append('\n');
				}
			}
		}
		for (LockInfo synchronizer : info.getLockedSynchronizers()) {
			out.append("\t- holds ").append(synchronizer).append('\n');
		}
		return out.toString();
	}

	private static String describe(ExtensionContext context) {
		return context.getTestMethod()
			.map((method) -> context.getRequiredTestClass().getName() + "." + method.getName())
			.orElseGet(() -> context.getTestClass().map(Class::getName).orElse(context.getDisplayName()));
	}

	private static String fileName(ExtensionContext context) {
		return describe(context).replaceAll("^.*\\.reporting\\.ops\\.", "").replaceAll("[^A-Za-z0-9_.-]", "_") + "-"
				+ STAMP.format(Instant.now()) + ".txt";
	}

	/** Names the file that holds the thread dump taken at a timeout. */
	static final class ThreadDumpWritten extends Exception {

		private static final long serialVersionUID = 1L;

		ThreadDumpWritten(Path file) {
			super("Every thread's stack at the time limit (also printed above): " + file, null, false, false);
		}

	}

}
