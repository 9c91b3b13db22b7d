package au.edu.unimelb.reporting.ops.shell;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import au.edu.unimelb.reporting.ops.support.LoopbackBackupEnvironment;
import au.edu.unimelb.reporting.ops.support.LoopbackSshd;
import au.edu.unimelb.reporting.ops.support.Proc;
import au.edu.unimelb.reporting.ops.support.ProcessEnvironmentWatch;
import au.edu.unimelb.reporting.ops.support.ServiceClient;
import au.edu.unimelb.reporting.ops.support.ServiceProcess;
import au.edu.unimelb.reporting.ops.support.ThreadDumpOnTimeout;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged service, started with a marker secret in a variable that is none of its
 * programs' business (and, as in production, its own secrets in its environment), runs a
 * backup night and the QA restore after it: no program it starts (pg_dump, pg_restore,
 * duplicity, gpg) receives the marker, the cloud password or any variable of the
 * service's environment but the few the runner passes on; each gets those and its own.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
@ExtendWith(ThreadDumpOnTimeout.class)
class ProgramEnvironmentIT {

	static final Duration RUN_LIMIT = Duration.ofMinutes(3);

	@Test
	void noProgramOfABackupNightOrQaRestoreReceivesTheServicesOtherVariables(@TempDir Path dir) throws Exception {
		String marker = "marker-secret-" + UUID.randomUUID();
		try (LoopbackBackupEnvironment env = LoopbackBackupEnvironment.create(dir.resolve("env"))) {
			Path target = dir.resolve("target");
			Files.createDirectories(target);
			Map<String, String> settings = env.settings("file://" + target.resolve("reporting"), null);
			try (ServiceProcess service = ServiceProcess.start(dir, settings, Map.of("OPS_TEST_MARKER_SECRET", marker),
					LoopbackSshd.freePort(), dir.resolve("service.log"));
					ProcessEnvironmentWatch watch = new ProcessEnvironmentWatch(service.pid(), List.of(marker,
							LoopbackBackupEnvironment.CLOUD_PASSWORD, LoopbackBackupEnvironment.ADMIN_PASSWORD),
							CommandRunner.INHERITED)) {
				ServiceClient client = service.client();
				HttpResponse<String> started = client.postJson(
						"/engine-rest/process-definition/key/nightly-backup/start", "{}", "admin",
						LoopbackBackupEnvironment.ADMIN_PASSWORD);
				assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
				String backup = ServiceClient.idOf(started);
				assertThat(awaitEnded(client, backup)).contains("\"outcome\":\"BACKED_UP\"");
				assertThat(awaitEnded(client, restoreStartedBy(client, backup))).contains("\"outcome\":\"RESTORED\"");

				assertThat(watch.seen()).as("programs seen").contains("pg_dump", "pg_restore", "duplicity full");
				assertThat(watch.leaks()).as("programs that received what they should not").isEmpty();
				assertThat(watch.variablesOfChildren().get("pg_dump")).contains("PGPASSWORD", "PATH");
				assertThat(watch.variablesOfChildren().get("duplicity full")).contains("PASSPHRASE", "GNUPGHOME", "TZ");
				assertNoAgentKeepsTheKeyOpen(env, target);
			}
		}
	}

	/**
	 * gpg's agent is a daemon that outlives duplicity: it must have been started clean
	 * (no passphrase or cloud key in its environment) and must cache no passphrase, so
	 * nothing can decrypt a set afterwards without it.
	 */
	private static void assertNoAgentKeepsTheKeyOpen(LoopbackBackupEnvironment env, Path target) throws Exception {
		String home = env.gnupgHome().toString();
		List<String> agents = new java.util.ArrayList<>();
		for (long pid : Proc.pids()) {
			String cmdline = String.join(" ", Proc.argv(pid));
			String environ = String.join("\n", Proc.environment(pid));
			if (cmdline.contains("gpg-agent") && (cmdline.contains(home) || environ.contains(home))) {
				agents.add(cmdline);
				assertThat(environ).as("environment of %s", cmdline)
					.doesNotContain(LoopbackBackupEnvironment.GPG_PASSPHRASE)
					.doesNotContain(LoopbackBackupEnvironment.CLOUD_PASSWORD);
			}
		}
		assertThat(agents).as("the agent duplicity used").isNotEmpty();
		Path volume;
		try (var files = Files.walk(target)) {
			volume = files.filter((f) -> f.getFileName().toString().endsWith(".difftar.gpg")).findFirst().orElseThrow();
		}
		ProcessBuilder gpg = new ProcessBuilder("gpg", "--batch", "--no-autostart", "--pinentry-mode", "error",
				"--output", "/dev/null", "--decrypt", volume.toString())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD);
		gpg.environment().put("GNUPGHOME", home);
		Process decrypt = gpg.start();
		assertThat(decrypt.waitFor()).as("decrypting a set without the passphrase, after the night").isNotZero();
	}

	private static String awaitEnded(ServiceClient client, String run) {
		return Awaitility.await("the end of run " + run)
			.atMost(RUN_LIMIT)
			.pollInterval(Duration.ofMillis(200))
			.until(() -> client.get("/api/backups/" + run, "admin", LoopbackBackupEnvironment.ADMIN_PASSWORD).body(),
					(body) -> body.contains("\"endedAt\":\""));
	}

	/**
	 * The restore the night handed its lock to: the night's record ends first, the
	 * hand-over is its next step, so wait for it.
	 */
	private static String restoreStartedBy(ServiceClient client, String backup) {
		JsonNode found = Awaitility.await("the QA restore night " + backup + " handed over to")
			.atMost(RUN_LIMIT)
			.pollInterval(Duration.ofMillis(200))
			.until(() -> new ObjectMapper()
				.readTree(client
					.get("/engine-rest/history/variable-instance?variableName=qaRestoreRun&processInstanceId=" + backup,
							"admin", LoopbackBackupEnvironment.ADMIN_PASSWORD)
					.body()), (variables) -> variables.size() == 1);
		return found.get(0).get("value").asText();
	}

}
