package au.edu.unimelb.reporting.ops.monitoring;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import au.edu.unimelb.reporting.ops.backup.NightlyBackupProcess;
import au.edu.unimelb.reporting.ops.nightly.BackupRecords;
import au.edu.unimelb.reporting.ops.support.LoopbackBackupEnvironment;
import au.edu.unimelb.reporting.ops.support.LoopbackPrometheus;
import au.edu.unimelb.reporting.ops.support.ProcessArgvWatch;
import au.edu.unimelb.reporting.ops.support.RunningService;
import au.edu.unimelb.reporting.ops.support.ThreadDumpOnTimeout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The shipped rules on a real Prometheus scraping the running service: a daily backup
 * verified 27 hours ago makes {@code ReportingBackupDailyStale} fire, a newer verified
 * one resolves it. Prometheus logs in with the scrape's own login
 * ({@code ops.metrics.scrape-password}), its password in a file; an engine user's login
 * (Jenkins) reads the metrics too. The rules are a copy with every {@code for:} shortened
 * to 2 s (the production durations are timed by promtool's unit tests).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
@ExtendWith(ThreadDumpOnTimeout.class)
class PrometheusAlertIT {

	private static final String JENKINS_PASSWORD = "jenkins-pass-it-" + System.nanoTime();

	private static final String SCRAPE_PASSWORD = "scrape-pass-it-" + System.nanoTime();

	private static final String ALERT = "ReportingBackupDailyStale";

	/**
	 * Series that exist only once something happened: what serves an environment (nothing
	 * deployed here), and a notification counter per channel and event (notifications are
	 * off here; ReleaseBrowserIT reads reporting_notifications_failed_total).
	 */
	private static final Set<String> AFTER_THEIR_FIRST_EVENT = Set.of("reporting_environment_serving_info",
			"reporting_notifications_sent_total", "reporting_notifications_failed_total",
			"reporting_notifications_dropped_total");

	@Test
	void aStaleDailyBackupFiresAndANewerVerifiedOneResolvesIt(@TempDir Path dir) throws Exception {
		LoopbackBackupEnvironment env = LoopbackBackupEnvironment.create(dir.resolve("env"));
		Map<String, String> settings = env.settings("file://" + dir.resolve("target"), null);
		settings.put("ops.security.jenkins-password", JENKINS_PASSWORD);
		settings.put("ops.metrics.scrape-password", SCRAPE_PASSWORD);
		try (RunningService service = RunningService.start(settings)) {
			BackupRecords records = service.bean(BackupRecords.class);
			verifiedDaily(records, "it-stale", now().minus(Duration.ofHours(27)));
			String rules = Files.readString(MonitoringNamesTest.RULES).replaceAll("(?m)^(\\s+for:) \\S+$", "$1 2s");
			String target = service.baseUrl().substring("http://".length());
			try (ProcessArgvWatch argv = new ProcessArgvWatch(List.of(JENKINS_PASSWORD, SCRAPE_PASSWORD));
					LoopbackPrometheus prometheus = LoopbackPrometheus.start(dir.resolve("prometheus"), "reporting-ops",
							target, "prometheus", SCRAPE_PASSWORD, rules)) {
				await().atMost(Duration.ofSeconds(40))
					.pollInterval(Duration.ofMillis(500))
					.untilAsserted(
							() -> assertThat(prometheus.alertState(ALERT)).as(prometheus.log()).isEqualTo("firing"));
				assertThat(prometheus.alertState("ReportingServiceDown")).isEqualTo("inactive");
				// every series the rules and the dashboard query is one the running
				// service
				// exports (Prometheus' own up aside), so no alert or panel waits on a
				// name
				// that never comes
				String exported = scrape(service);
				assertThat(MonitoringNamesTest.DOCUMENTED)
					.filteredOn((name) -> !name.equals("up") && !AFTER_THEIR_FIRST_EVENT.contains(name))
					.allSatisfy((name) -> assertThat(exported).as("the service exports %s", name)
						.containsPattern("(?m)^" + name + "[{ ]"));

				verifiedDaily(records, "it-fresh", now().minus(Duration.ofHours(1)));

				// the metrics read the records every 10 s, Prometheus scrapes every
				// second
				await().atMost(Duration.ofSeconds(40))
					.pollInterval(Duration.ofMillis(500))
					.untilAsserted(() -> assertThat(prometheus.alertState(ALERT)).isEqualTo("inactive"));
				// resolved by the newer backup, not by a failed scrape (which would also
				// end it)
				assertThat(prometheus.value("up{job=\"reporting-ops\"}")).isEqualTo(1.0);
				assertThat(prometheus.value("reporting_backup_last_verified_age_seconds{tier=\"daily\"}"))
					.isBetween(3600.0 - 60, 3600.0 + 120);
				assertThat(argv.leaks()).as("the scrape password in an argv").isEmpty();
			}
		}
	}

	private static String scrape(RunningService service) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(service.baseUrl() + "/actuator/prometheus"))
			.header("Authorization",
					"Basic " + Base64.getEncoder()
						.encodeToString(("jenkins:" + JENKINS_PASSWORD).getBytes(StandardCharsets.UTF_8)))
			.timeout(Duration.ofSeconds(10))
			.build();
		HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}

	// whole seconds, as the backups' set times are: the database keeps microseconds, a
	// finer Instant would not find its own row again
	private static Instant now() {
		return Instant.now().truncatedTo(ChronoUnit.SECONDS);
	}

	private static void verifiedDaily(BackupRecords records, String runId, Instant setTime) {
		records.start(runId, "BACKUP", "PrometheusAlertIT");
		records.uploaded(runId, "daily", setTime, 1024, 1000);
		records.verified("daily", setTime);
		records.finish(runId, NightlyBackupProcess.BACKED_UP, null);
	}

}
