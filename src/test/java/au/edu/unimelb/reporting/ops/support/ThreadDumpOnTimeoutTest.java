package au.edu.unimelb.reporting.ops.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * A test that hangs past its {@code @Timeout} fails with every thread's stack printed and
 * written to a file its failure names, taken while it still hangs: in both of JUnit's
 * thread modes, and for a lifecycle method.
 */
@ExtendWith(OutputCaptureExtension.class)
class ThreadDumpOnTimeoutTest {

	@Test
	void aTestThatHangsPastItsLimitFailsWithTheStacksOfAllThreadsTakenWhileItHangs(CapturedOutput output)
			throws Exception {
		Throwable failure = runAndFail(Hangs.class, "SAME_THREAD");

		assertThat(failure).isInstanceOf(TimeoutException.class)
			.hasMessageContaining("timed out after 300 milliseconds");
		String dump = dumpNamedBy(failure);
		// the test kit runs the test in this thread
		String hung = Thread.currentThread().getName();
		assertThat(dump).startsWith("Time limit reached in " + Hangs.class.getName() + ".waitsForALatchNobodyCounts")
			.contains("thread dump before interrupting \"" + hung + "\"")
			// the hung thread's own stack first, down to where it hangs
			.containsPattern("threads\n\n\"" + Pattern.quote(hung)
					+ "\" #\\d+ WAITING on java.util.concurrent.CountDownLatch\\$Sync@\\w+\n(\t.*\n)*\tat \\S*"
					+ Pattern.quote(Hangs.class.getName() + ".waitsForALatchNobodyCounts"))
			// and the others': a thread of the "service" the test waited for
			.contains("\"stand-in-worker\" #")
			.contains(Hangs.class.getName() + ".lambda$");
		assertThat(output.getErr()).contains(dump);
	}

	@Test
	void inItsOwnThreadAHangThatIgnoresInterruptsFailsAtTheLimitWithTheDump() throws Exception {
		Instant start = Instant.now();
		Throwable failure = runAndFail(IgnoresInterrupts.class, "SEPARATE_THREAD");

		assertThat(Duration.between(start, Instant.now())).as("failed at the limit, not when the hang ended")
			.isLessThan(IgnoresInterrupts.HANG);
		assertThat(failure).isInstanceOf(TimeoutException.class);
		assertThat(dumpNamedBy(failure)).contains(IgnoresInterrupts.class.getName() + ".spinsUntilItIsDone");
	}

	@Test
	void aLifecycleMethodThatHangsPastTheDefaultLimitFailsWithTheDump() throws Exception {
		List<Event> failed = EngineTestKit.engine("junit-jupiter")
			.selectors(selectClass(HangsBeforeAll.class))
			.configurationParameter("junit.jupiter.execution.timeout.lifecycle.method.default", "300 ms")
			.execute()
			.containerEvents()
			.failed()
			.list();
		assertThat(failed).hasSize(1);
		Throwable failure = failed.get(0)
			.getPayload(org.junit.platform.engine.TestExecutionResult.class)
			.orElseThrow()
			.getThrowable()
			.orElseThrow();
		assertThat(dumpNamedBy(failure))
			.contains(HangsBeforeAll.class.getName() + ".startsAnEnvironmentThatNeverComesUp");
	}

	@Test
	void everyIntegrationTestClassHasATimeLimitAndThisExtension() throws Exception {
		Path classes = Path
			.of(ThreadDumpOnTimeoutTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		List<Class<?>> integrationTests;
		try (Stream<Path> files = Files.walk(classes)) {
			integrationTests = files.map((file) -> classes.relativize(file).toString())
				.filter((name) -> name.endsWith("IT.class") && !name.contains("$"))
				.map((name) -> name.substring(0, name.length() - ".class".length()).replace('/', '.'))
				.map(ThreadDumpOnTimeoutTest::load)
				.toList();
		}
		assertThat(integrationTests).as("the *IT classes").hasSizeGreaterThan(10);
		assertThat(integrationTests).allSatisfy((test) -> {
			assertThat(test.getAnnotation(Timeout.class)).as("@Timeout of %s", test.getSimpleName()).isNotNull();
			assertThat(
					Stream.of(test.getAnnotationsByType(ExtendWith.class)).flatMap((with) -> Stream.of(with.value())))
				.as("extensions of %s", test.getSimpleName())
				.contains(ThreadDumpOnTimeout.class);
		});
	}

	private static Class<?> load(String name) {
		try {
			// not initialised: an IT's static fields may need its environment
			return Class.forName(name, false, ThreadDumpOnTimeoutTest.class.getClassLoader());
		}
		catch (ClassNotFoundException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Throwable runAndFail(Class<?> testClass, String threadMode) {
		List<Event> failed = EngineTestKit.engine("junit-jupiter")
			.selectors(selectClass(testClass))
			.configurationParameter("junit.jupiter.execution.timeout.thread.mode.default", threadMode)
			.execute()
			.testEvents()
			.failed()
			.list();
		assertThat(failed).as("failed tests of %s", testClass.getSimpleName()).hasSize(1);
		return failed.get(0)
			.getPayload(org.junit.platform.engine.TestExecutionResult.class)
			.orElseThrow()
			.getThrowable()
			.orElseThrow();
	}

	/** The dump in the file that the failure names. */
	private static String dumpNamedBy(Throwable failure) throws Exception {
		assertThat(failure.getSuppressed()).as("suppressed exceptions of %s", failure)
			.anySatisfy((note) -> assertThat(note).isInstanceOf(ThreadDumpOnTimeout.ThreadDumpWritten.class));
		String note = List.of(failure.getSuppressed())
			.stream()
			.filter(ThreadDumpOnTimeout.ThreadDumpWritten.class::isInstance)
			.findFirst()
			.orElseThrow()
			.getMessage();
		Path file = Path.of(note.substring(note.indexOf(": ") + 2));
		assertThat(file).startsWith(ThreadDumpOnTimeout.DUMPS.toAbsolutePath()).exists();
		return Files.readString(file);
	}

	// The test classes run above, through the test kit only (surefire skips nested
	// classes).

	@Timeout(value = 300, unit = TimeUnit.MILLISECONDS)
	@ExtendWith(ThreadDumpOnTimeout.class)
	static class Hangs {

		@Test
		void waitsForALatchNobodyCounts() throws Exception {
			CountDownLatch never = new CountDownLatch(1);
			Thread worker = new Thread(() -> {
				try {
					never.await();
				}
				catch (InterruptedException ex) {
					// the test ended
				}
			}, "stand-in-worker");
			worker.start();
			try {
				never.await();
			}
			finally {
				worker.interrupt();
			}
		}

	}

	@Timeout(value = 300, unit = TimeUnit.MILLISECONDS)
	@ExtendWith(ThreadDumpOnTimeout.class)
	static class IgnoresInterrupts {

		static final Duration HANG = Duration.ofSeconds(3);

		@Test
		void spinsUntilItIsDone() {
			Instant end = Instant.now().plus(HANG);
			while (Instant.now().isBefore(end)) {
				Thread.onSpinWait();
			}
		}

	}

	@ExtendWith(ThreadDumpOnTimeout.class)
	static class HangsBeforeAll {

		@BeforeAll
		static void startsAnEnvironmentThatNeverComesUp() throws Exception {
			new CountDownLatch(1).await();
		}

		@Test
		void neverRuns() {
		}

	}

}
