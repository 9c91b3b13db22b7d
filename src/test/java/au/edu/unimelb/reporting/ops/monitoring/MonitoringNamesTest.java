package au.edu.unimelb.reporting.ops.monitoring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped alert rules and Grafana dashboard query only the metrics the service
 * documents (the names below, which the service exports), and every alert links to its
 * section of the runbook. promtool checks the rules' syntax and timing
 * (scripts/monitoring-tests.sh); this checks the names, which promtool cannot know.
 */
class MonitoringNamesTest {

	static final Path RULES = Path.of("monitoring/prometheus/reporting-ops.rules.yml");

	static final Path DASHBOARD = Path.of("monitoring/grafana/reporting-ops.json");

	private static final Path RUNBOOK = Path.of("docs/operations.md");

	/**
	 * The series the service exports (Prometheus names), and Prometheus' own {@code up}.
	 */
	static final Set<String> DOCUMENTED = Set.of("up", "reporting_backup_last_verified_age_seconds",
			"reporting_qa_data_age_seconds", "reporting_incident_oldest_age_seconds", "reporting_incidents_open",
			"reporting_uat_oldest_waiting_age_seconds", "reporting_uat_tasks_waiting",
			"reporting_deploy_running_age_seconds", "reporting_deploy_deadline_seconds", "reporting_deploys_total",
			"reporting_deploy_duration_seconds_bucket", "reporting_deploy_duration_seconds_sum",
			"reporting_deploy_duration_seconds_count", "reporting_environment_serving_info",
			"reporting_environment_last_switch_age_seconds", "reporting_notifications_failed_total",
			"reporting_notifications_dropped_total", "reporting_notifications_sent_total",
			"reporting_metrics_read_age_seconds", "reporting_metrics_read_failures_total");

	// A metric name: reporting_..., a recording rule's reporting:..., or up (not inside a
	// label matcher's quotes, which the expressions never use for names).
	private static final Pattern NAME = Pattern.compile("(?<![\\w:\"])(reporting[_:][\\w:]+|up)(?![\\w:\"(])");

	@Test
	void theRulesQueryOnlyDocumentedMetricsAndTheirOwnRecordings() throws IOException {
		List<Map<String, Object>> rules = rules();
		Set<String> recorded = new TreeSet<>();
		rules.stream().filter((rule) -> rule.containsKey("record")).forEach((rule) -> recorded.add(name(rule)));
		Set<String> queried = new TreeSet<>();
		rules.forEach((rule) -> queried.addAll(names(String.valueOf(rule.get("expr")))));

		assertThat(queried).contains("reporting_backup_last_verified_age_seconds", "up",
				"reporting_notifications_failed_total");
		assertThat(queried).allSatisfy((name) -> assertThat(DOCUMENTED.contains(name) || recorded.contains(name))
			.as("%s is a documented metric or a recording of the rules", name)
			.isTrue());
	}

	@Test
	void everyAlertHasSeveritySummaryDescriptionAndARunbookSectionThatExists() throws IOException {
		String runbook = Files.readString(RUNBOOK);
		List<Map<String, Object>> alerts = rules().stream().filter((rule) -> rule.containsKey("alert")).toList();

		assertThat(alerts).extracting((alert) -> alert.get("alert"))
			.containsExactlyInAnyOrder("ReportingBackupDailyStale", "ReportingBackupMetricMissing",
					"ReportingQaDataStale", "ReportingIncidentOpen", "ReportingUatWaitingLong",
					"ReportingDeployOverdue", "ReportingServiceDown", "ReportingNotificationsFailing",
					"ReportingMetricsStale");
		for (Map<String, Object> alert : alerts) {
			String name = (String) alert.get("alert");
			assertThat(map(alert.get("labels"))).as(name).containsKey("severity");
			Map<String, Object> annotations = map(alert.get("annotations"));
			assertThat(annotations).as(name).containsKeys("summary", "description");
			assertThat(annotations.get("runbook_url")).as(name).isEqualTo("docs/operations.md#" + name.toLowerCase());
			assertThat(runbook).as("docs/operations.md has a section %s", name).contains("\n### " + name + "\n");
		}
	}

	@Test
	void theDashboardQueriesOnlyDocumentedMetricsAndRecordings() throws IOException {
		JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
		Set<String> recorded = new TreeSet<>();
		rules().stream().filter((rule) -> rule.containsKey("record")).forEach((rule) -> recorded.add(name(rule)));
		List<String> expressions = new ArrayList<>();
		dashboard.findValues("expr").forEach((expr) -> expressions.add(expr.asText()));
		Set<String> queried = new TreeSet<>();
		expressions.forEach((expr) -> queried.addAll(names(expr)));

		assertThat(dashboard.path("title").asText()).isNotBlank();
		assertThat(dashboard.path("panels")).isNotEmpty();
		assertThat(expressions).hasSizeGreaterThan(10).allSatisfy((expr) -> assertThat(names(expr)).isNotEmpty());
		assertThat(queried).contains("reporting_deploys_total", "reporting_environment_serving_info",
				"reporting_uat_oldest_waiting_age_seconds", "reporting_incident_oldest_age_seconds",
				"reporting_backup_last_verified_age_seconds", "reporting_qa_data_age_seconds");
		assertThat(queried).allSatisfy((name) -> assertThat(DOCUMENTED.contains(name) || recorded.contains(name))
			.as("%s is a documented metric or a recording of the rules", name)
			.isTrue());
	}

	@Test
	void theNamePatternFindsMetricsButNotFunctionsLabelsOrDurations() {
		assertThat(names("sum by (environment) (increase(reporting_deploys_total{outcome=\"up\"}[1h])) > "
				+ "scalar(reporting:uat_waiting_alert_after_seconds) or absent(up{job=\"reporting-ops\"})"))
			.containsExactly("reporting:uat_waiting_alert_after_seconds", "reporting_deploys_total", "up");
	}

	static Set<String> names(String expression) {
		Set<String> names = new TreeSet<>();
		Matcher matcher = NAME.matcher(expression);
		while (matcher.find()) {
			names.add(matcher.group(1));
		}
		return names;
	}

	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> rules() throws IOException {
		Map<String, Object> file = new Yaml().load(Files.readString(RULES));
		List<Map<String, Object>> rules = new ArrayList<>();
		for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
			rules.addAll((List<Map<String, Object>>) group.get("rules"));
		}
		return rules;
	}

	private static String name(Map<String, Object> rule) {
		return (String) rule.get("record");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object value) {
		return (Map<String, Object>) value;
	}

}
