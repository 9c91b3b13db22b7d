package au.edu.unimelb.reporting.ops.shell;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import au.edu.unimelb.reporting.ops.config.Secret;
import au.edu.unimelb.reporting.ops.config.SecretGuard;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/**
 * {@link CommandRunner} with real programs: output, exit codes, the timeout (the program
 * and its children killed), secrets through the environment only and masked everywhere,
 * and an environment that holds only what the program needs.
 */
class CommandRunnerTest {

	static final String SECRET = "pg-password-for-runner-tests";

	final CommandRunner runner = new CommandRunner(new SecretGuard(List.of(Secret.of(SECRET))));

	@TempDir
	Path dir;

	@Test
	void returnsOutputOfAProgramThatSucceeds() {
		CommandResult result = this.runner.run(Command.anyProgram("echo", "hello", "world"));
		assertThat(result.exitCode()).isZero();
		assertThat(result.stdout()).isEqualTo("hello world\n");
	}

	@Test
	void passesArgumentsAsTheyAreWithoutAShell() {
		CommandResult result = this.runner
			.run(Command.anyProgram("printf", "%s|", "a b", "$HOME", "; rm -rf /", "`id`"));
		assertThat(result.stdout()).isEqualTo("a b|$HOME|; rm -rf /|`id`|");
	}

	@Test
	void reportsANonZeroExitWithTheCommandAndItsErrors() {
		assertThatThrownBy(() -> this.runner.run(Command.anyProgram("ls", "/no/such/dir")))
			.isInstanceOfSatisfying(CommandFailedException.class, (failed) -> {
				assertThat(failed.getExitCode()).isEqualTo(2);
				assertThat(failed.timedOut()).isFalse();
			})
			.hasMessageStartingWith("ls /no/such/dir exited 2: ")
			.hasMessageContaining("No such file");
	}

	@Test
	void stopAllStopsTheRunningProgramsAndTheirRunsFailWithTheReason() throws Exception {
		java.util.concurrent.CompletableFuture<CommandResult> sleeping = java.util.concurrent.CompletableFuture
			.supplyAsync(() -> this.runner.run(Command.anyProgram("sleep", "60")));
		Awaitility.await("sleep 60 running")
			.atMost(Duration.ofSeconds(10))
			.until(() -> ProcessHandle.current()
				.descendants()
				.anyMatch((child) -> child.info().commandLine().orElse("").contains("sleep 60")));
		assertThat(this.runner.stopAll("the locks ran out")).isEqualTo(1);
		assertThatThrownBy(() -> sleeping.get(10, java.util.concurrent.TimeUnit.SECONDS))
			.hasRootCauseInstanceOf(CommandFailedException.class)
			.rootCause()
			.hasMessage("sleep 60 was stopped: the locks ran out");
		assertThat(this.runner.stopAll("nothing runs")).isZero();
	}

	@Test
	void reportsAProgramThatCannotStart() {
		assertThatThrownBy(() -> this.runner.run(Command.anyProgram("/no/such/program")))
			.isInstanceOf(CommandFailedException.class)
			.hasMessageContaining("Cannot start /no/such/program");
	}

	@Test
	void killsTheProgramAndItsChildrenAtTheTimeout() throws Exception {
		Path pids = this.dir.resolve("child.pid");
		long started = System.nanoTime();
		assertThatThrownBy(
				() -> this.runner.run(Command.anyProgram("bash", "-c", "sleep 300 & echo $! > " + pids + "; wait")
					.withTimeout(Duration.ofSeconds(1))))
			.isInstanceOfSatisfying(CommandFailedException.class, (failed) -> assertThat(failed.timedOut()).isTrue())
			.hasMessageContaining("did not finish within PT1S and was killed");
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
		long child = Long.parseLong(Files.readString(pids).strip());
		// Killed children are re-parented to PID 1, which on some machines reaps them
		// late: a zombie is not running.
		Awaitility.await("the killed child gone")
			.atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(running(child)).as("the child is gone").isFalse());
	}

	private static boolean running(long pid) throws Exception {
		Path stat = Path.of("/proc", Long.toString(pid), "stat");
		if (!Files.exists(stat)) {
			return false;
		}
		String text = Files.readString(stat);
		String state = text.substring(text.lastIndexOf(')') + 2, text.lastIndexOf(')') + 3);
		return !state.equals("Z") && !state.equals("X");
	}

	@Test
	void handsSecretsOverThroughTheEnvironmentAndMasksThem() {
		CommandResult result = this.runner
			.run(Command.anyProgram("printenv", "PGPASSWORD").withSecretEnvironment("PGPASSWORD", Secret.of(SECRET)));
		assertThat(result.stdout()).isEqualTo("******\n").doesNotContain(SECRET);

		assertThatThrownBy(() -> this.runner
			.run(Command.anyProgram("bash", "-c", "echo \"auth failed for $PGPASSWORD\" >&2; exit 1")
				.withSecretEnvironment("PGPASSWORD", Secret.of(SECRET))))
			.hasMessageContaining("auth failed for ******")
			.hasMessageNotContaining(SECRET)
			.isInstanceOfSatisfying(CommandFailedException.class,
					(failed) -> assertThat(failed.getStderr()).doesNotContain(SECRET));
	}

	@Test
	void refusesASecretInTheArguments() {
		assertThatThrownBy(() -> this.runner.run(Command.of(Program.PG_DUMP, "--password=" + SECRET)))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("an argument carries a configured secret")
			.hasMessageNotContaining(SECRET);
	}

	@Test
	void aCommandIsOfAListedProgramOtherThanTheRunnersWrapper() {
		assertThat(Command.of(Program.PG_RESTORE, "--list", "x.dump").argv()).containsExactly("pg_restore", "--list",
				"x.dump");
		// setpriv -- curl ... would start a program the image need not have
		assertThatThrownBy(() -> Command.of(Program.SETPRIV, "--", "curl", "https://example.org"))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("setpriv");
	}

	@Test
	void runsInTheGivenDirectoryWithExtraEnvironment() throws Exception {
		CommandResult result = this.runner.run(Command.anyProgram("bash", "-c", "pwd; echo $STAGE")
			.in(this.dir)
			.withEnvironment("STAGE", "staging-1"));
		assertThat(result.stdout()).isEqualTo(this.dir.toRealPath() + "\nstaging-1\n");
	}

	@Test
	void aProgramGetsOnlyThePassedOnVariablesOfTheServiceAndItsOwn() {
		Map<String, String> service = new LinkedHashMap<>();
		service.put("PATH", System.getenv("PATH"));
		service.put("HOME", this.dir.toString());
		service.put("LANG", "C.UTF-8");
		service.put("TZ", "Australia/Melbourne");
		service.put("OPS_ENVIRONMENTS_PROD_CLOUD_PASSWORD", "cloud-marker-5d1e");
		service.put("SPRING_DATASOURCE_PASSWORD", "engine-marker-0b7a");
		service.put("LD_PRELOAD", "/tmp/not-for-children.so");
		CommandRunner runner = new CommandRunner(new SecretGuard(List.of(Secret.of(SECRET))), service);

		CommandResult result = runner.run(Command.anyProgram("env")
			.withEnvironment("GNUPGHOME", "/srv/gnupg")
			.withEnvironment("TZ", "UTC")
			.withSecretEnvironment("PGPASSWORD", Secret.of(SECRET)));

		assertThat(variables(result)).containsOnly(entry("PATH", System.getenv("PATH")),
				entry("HOME", this.dir.toString()), entry("LANG", "C.UTF-8"), entry("TZ", "UTC"),
				entry("GNUPGHOME", "/srv/gnupg"), entry("PGPASSWORD", "******"));
		assertThat(result.stdout()).doesNotContain("marker", "LD_PRELOAD");
	}

	@Test
	void aProgramGetsNoneOfTheJvmsOwnVariablesButThePassedOnOnes() {
		Map<String, String> received = variables(this.runner.run(Command.anyProgram("env")));

		assertThat(received.keySet()).isSubsetOf(CommandRunner.INHERITED).contains("PATH");
		System.getenv().forEach((name, value) -> {
			if (!CommandRunner.INHERITED.contains(name)) {
				assertThat(received).as("the JVM's %s", name).doesNotContainKey(name);
			}
		});
	}

	@Test
	void aServiceWithoutPathStillFindsPrograms() {
		CommandRunner runner = new CommandRunner(new SecretGuard(List.of(Secret.of(SECRET))), Map.of());

		assertThat(variables(runner.run(Command.anyProgram("env"))))
			.containsOnly(entry("PATH", CommandRunner.DEFAULT_PATH));
	}

	private static Map<String, String> variables(CommandResult result) {
		Map<String, String> variables = new LinkedHashMap<>();
		result.stdout().lines().forEach((line) -> {
			int equals = line.indexOf('=');
			variables.put(line.substring(0, equals), line.substring(equals + 1));
		});
		return variables;
	}

	@Test
	void keepsOnlyTheEndOfAHugeOutput() {
		CommandResult result = this.runner
			.run(Command.anyProgram("head", "-c", Integer.toString(3 * ProgramOutput.KEEP_BYTES), "/dev/zero"));
		assertThat(result.stdout()).hasSize(ProgramOutput.KEEP_BYTES);
	}

}
