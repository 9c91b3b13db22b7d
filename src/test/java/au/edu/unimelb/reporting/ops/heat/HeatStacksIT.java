package au.edu.unimelb.reporting.ops.heat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings;
import au.edu.unimelb.reporting.ops.config.CloudSettings;
import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings.EnvironmentSettings;
import au.edu.unimelb.reporting.ops.config.Secret;
import au.edu.unimelb.reporting.ops.openstack.OpenStackSessions;
import au.edu.unimelb.reporting.ops.support.TestBed;
import au.edu.unimelb.reporting.ops.support.TestEnvironments;
import au.edu.unimelb.reporting.ops.support.ThreadDumpOnTimeout;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link HeatStacks} against the real Keystone + Heat of the loopback test bed, with the
 * production {@code heat/app-server.yaml} run through
 * {@code heat/test/loopback-env.yaml}.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(ThreadDumpOnTimeout.class)
class HeatStacksIT {

	static final String PREFIX = "it" + UUID.randomUUID().toString().substring(0, 6) + "_qa_";

	static final String RUN = UUID.randomUUID().toString();

	static final HeatStacks heat = new HeatStacks(new OpenStackSessions(environments()));

	static final HeatTemplates templates = new HeatTemplates(new HeatSettings(null));

	@AfterAll
	static void deleteLeftovers() {
		heat.listNumbered("qa", PREFIX).forEach((state) -> heat.delete("qa", state.ref()));
	}

	@Test
	void createsReadsListsAndDeletesAStack() {
		StackRef ref = heat.create("qa", request(PREFIX + "1", "127.0.0.11"));
		StackState state = awaitSettled(ref);

		assertThat(state.status()).isEqualTo(StackStatus.CREATE_COMPLETE);
		assertThat(state.output("instance_ip")).isEqualTo("127.0.0.11");
		assertThat(state.tags()).contains("reporting-ops", "env-qa", "run-" + RUN);
		assertThat(heat.find("qa", PREFIX + "1")).contains(ref);
		assertThat(heat.listNumbered("qa", PREFIX)).extracting(StackState::ref).containsExactly(ref);
		assertThat(heat.create("qa", request(PREFIX + "1", "127.0.0.11"))).as("a repeated create finds the stack")
			.isEqualTo(ref);

		heat.delete("qa", ref);
		Awaitility.await("stack " + ref + " gone")
			.atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> heat.get("qa", ref).status() == StackStatus.GONE);
		// Heat's list by name may still show a stack for a moment after it reports
		// DELETE_COMPLETE by id.
		Awaitility.await("no stack named " + PREFIX + "1 in Heat's list")
			.atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(250))
			.untilAsserted(() -> assertThat(heat.find("qa", PREFIX + "1")).isEmpty());
		heat.delete("qa", ref);
	}

	@Test
	void refusesToAdoptAStackOfTheSameNameThatThisRunDidNotCreate() {
		StackRef foreign = heat.create("qa", request(PREFIX + "3", "127.0.0.13", Map.of(), "someone-else"));
		awaitSettled(foreign);

		assertThatThrownBy(() -> heat.create("qa", request(PREFIX + "3", "127.0.0.13")))
			.isInstanceOf(HeatException.class)
			.hasMessageStartingWith("A stack named " + PREFIX + "3 exists that this run did not create")
			.hasMessageContaining("refusing to adopt it");
		assertThat(heat.get("qa", foreign).status()).as("left alone, not deleted")
			.isEqualTo(StackStatus.CREATE_COMPLETE);
		assertThat(heat.highestNumber("qa", PREFIX)).as("its number is taken").isGreaterThanOrEqualTo(3);
		heat.delete("qa", foreign);
	}

	@Test
	void reportsAFailedCreateWithHeatsReason() {
		StackRef ref = heat.create("qa", request(PREFIX + "2", "127.0.0.12", Map.of("fake_server_fail", "true")));
		StackState state = awaitSettled(ref);
		assertThat(state.status()).isEqualTo(StackStatus.CREATE_FAILED);
		assertThat(state.reason()).contains("failed");
		heat.delete("qa", ref);
	}

	@Test
	void saysWhatFailedWhenKeystoneRefusesTheCredentials() {
		EnvironmentSettings qa = environments().qa();
		CloudSettings wrong = new CloudSettings(qa.cloud().authUrl(), qa.cloud().projectName(), qa.cloud().domain(),
				qa.cloud().userName(), Secret.of("not-the-password"), null, 10, null);
		HeatStacks refused = new HeatStacks(
				new OpenStackSessions(new EnvironmentsSettings(new EnvironmentSettings(wrong, qa.stack(), qa.webFront(),
						qa.database(), qa.appServer(), qa.healthPath(), qa.healthPort()), null)));
		assertThatThrownBy(() -> refused.find("qa", "anything")).isInstanceOf(HeatException.class)
			.hasMessageContaining("Heat call GET /stacks?name=anything for qa failed")
			.hasMessageNotContaining("not-the-password");
	}

	static StackState awaitSettled(StackRef ref) {
		return Awaitility.await("stack " + ref + " no longer in progress")
			.atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> heat.get("qa", ref), (state) -> !state.status().isInProgress());
	}

	static StackRequest request(String name, String ip) {
		return request(name, ip, Map.of());
	}

	static StackRequest request(String name, String ip, Map<String, String> extra) {
		return request(name, ip, extra, RUN);
	}

	static StackRequest request(String name, String ip, Map<String, String> extra, String runId) {
		Map<String, String> parameters = new HashMap<>(appServerParameters());
		parameters.put("fixed_ip", ip);
		parameters.put("build", "2026.11.24-1");
		HeatTemplate template = templates.load("app-server.yaml", "test/loopback-env.yaml");
		if (!extra.isEmpty()) {
			StringBuilder knobs = new StringBuilder(template.environment());
			extra.forEach((key, value) -> knobs.append("\n  ").append(key).append(": ").append(value));
			template = new HeatTemplate(template.name(), template.body(),
					knobs.toString().replace("\n  fake_server_fail: false", ""), template.files());
		}
		return new StackRequest(name, template, parameters, HeatStacks.stackTags("qa", runId), 5);
	}

	/**
	 * The cloud parameters plus the database ones that the service adds to every create.
	 */
	static Map<String, String> appServerParameters() {
		Map<String, String> parameters = new HashMap<>(TestBed.CLOUD_PARAMETERS);
		parameters.putAll(Map.of("db_host", "127.0.0.1", "db_name", "reporting_qa", "db_user", "reporting"));
		return parameters;
	}

	static EnvironmentsSettings environments() {
		TestBed bed = TestBed.load();
		EnvironmentSettings base = TestEnvironments.qaOnly(null, 80).qa();
		CloudSettings cloud = new CloudSettings(bed.get("OS_AUTH_URL"), bed.get("OS_PROJECT_NAME"),
				bed.get("OS_USER_DOMAIN_NAME"), bed.get("OS_USERNAME"), Secret.of(bed.get("OS_PASSWORD")), null, 30,
				null);
		return new EnvironmentsSettings(new EnvironmentSettings(cloud, base.stack(), base.webFront(), base.database(),
				base.appServer(), base.healthPath(), base.healthPort()), null);
	}

}
