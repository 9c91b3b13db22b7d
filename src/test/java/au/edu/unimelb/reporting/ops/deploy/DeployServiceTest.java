package au.edu.unimelb.reporting.ops.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings;
import au.edu.unimelb.reporting.ops.config.CloudSettings;
import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings.DatabaseSettings;
import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings.EnvironmentSettings;
import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings.StackSettings;
import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings.WebFrontSettings;
import au.edu.unimelb.reporting.ops.config.Secret;
import au.edu.unimelb.reporting.ops.engine.RequestRefusedException;
import au.edu.unimelb.reporting.ops.heat.HeatStacks;
import au.edu.unimelb.reporting.ops.heat.HeatTemplate;
import au.edu.unimelb.reporting.ops.heat.HeatTemplates;
import au.edu.unimelb.reporting.ops.heat.StackRef;
import au.edu.unimelb.reporting.ops.heat.StackRequest;
import au.edu.unimelb.reporting.ops.heat.StackState;
import au.edu.unimelb.reporting.ops.heat.StackStatus;
import au.edu.unimelb.reporting.ops.lock.LockHeldException;
import au.edu.unimelb.reporting.ops.lock.Locks;
import au.edu.unimelb.reporting.ops.support.TestEnvironments;
import au.edu.unimelb.reporting.ops.webfront.WebFrontSwitch;
import jakarta.ws.rs.core.Response.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.ArgumentCaptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

class DeployServiceTest {

	final HeatStacks heat = mock(HeatStacks.class);

	final Locks locks = mock(Locks.class);

	final DeploymentRecords records = mock(DeploymentRecords.class);

	final HeatTemplates templates = mock(HeatTemplates.class);

	final DeployService deploy = new DeployService(new DeployEnvironments(environments(2), this.locks), settings(),
			this.heat, this.templates, mock(WebFrontSwitch.class), this.locks, this.records, (id) -> Optional.empty());

	@ParameterizedTest
	@ValueSource(strings = { "2026.11.24-1", "v1.2.3", "abc123def", "release_hotfix-2" })
	void acceptsBuildReferences(String build) {
		this.deploy.acceptDeploy(byOperator("qa", build));
		verify(this.records).start("run-1", "DEPLOY", "qa", build, "admin");
	}

	@ParameterizedTest
	@ValueSource(
			strings = { "", " ", "1.0; rm -rf /", "$(reboot)", "a b", "../etc", "`id`", "x|y", "-rf", "1.0+build" })
	void refusesBuildsThatAreNotPlainReferences(String build) {
		assertThatThrownBy(() -> this.deploy.acceptDeploy(byOperator("qa", build)))
			.isInstanceOfSatisfying(RequestRefusedException.class,
					(refused) -> assertThat(refused.getStatus()).isEqualTo(Status.BAD_REQUEST))
			.hasMessageContaining("build");
		verify(this.locks, never()).acquire(anyString(), anyString(), any());
		verify(this.records, never()).start(anyString(), anyString(), anyString(), anyString(), any());
	}

	@ParameterizedTest
	@ValueSource(strings = { "staging", "QA", "prod;id", "" })
	void refusesUnknownEnvironments(String environment) {
		assertThatThrownBy(() -> this.deploy.acceptDeploy(byOperator(environment, "1.0")))
			.isInstanceOf(RequestRefusedException.class)
			.hasMessageContaining("environment");
	}

	@Test
	void refusesAnEnvironmentThatIsNotConfigured() {
		assertThatThrownBy(() -> this.deploy.acceptDeploy(byOperator("prod", "1.0")))
			.hasMessageContaining("The environment prod is not configured");
	}

	@Test
	void refusesASecondDeployToTheSameEnvironment() {
		doThrow(new LockHeldException("deploy:qa", "run-0", "jenkins", "2026-11-24 22:00:00.0")).when(this.locks)
			.acquire("deploy:qa", "run-1", "admin");
		assertThatThrownBy(() -> this.deploy.acceptDeploy(byOperator("qa", "1.0")))
			.isInstanceOfSatisfying(RequestRefusedException.class,
					(refused) -> assertThat(refused.getStatus()).isEqualTo(Status.CONFLICT))
			.hasMessageContaining("Locked by another run: deploy:qa is held by process instance run-0");
		verify(this.records, never()).start(anyString(), anyString(), anyString(), anyString(), any());
	}

	@Test
	void aRefusedOriginTakesNoLockAndRecordsNothing() {
		assertThatThrownBy(() -> this.deploy
			.acceptDeploy(new DeployRequest("run-1", "qa", "1.0", "admin", true, null, null, List.of("approvedBy"))))
			.isInstanceOf(RequestRefusedException.class);
		verify(this.locks, never()).acquire(anyString(), anyString(), any());
		verify(this.records, never()).start(anyString(), anyString(), anyString(), anyString(), any());
	}

	static DeployRequest byOperator(String environment, String build) {
		return new DeployRequest("run-1", environment, build, "admin", true, null, "a test", List.of());
	}

	@Test
	void allocatesTheNumberAfterTheHighestStackAndCounter() {
		when(this.heat.highestNumber("qa", "reporting_qa_")).thenReturn(9L);
		when(this.locks.next("stack-number:qa", 10)).thenReturn(12L);
		assertThat(this.deploy.allocateStackName("qa")).isEqualTo("reporting_qa_12");
	}

	@Test
	void tagsTheNewStackWithTheRunThatCreatesIt() {
		when(this.templates.load("app-server.yaml", null))
			.thenReturn(new HeatTemplate("app-server.yaml", "heat_template_version: 2018-08-31", null, Map.of()));
		when(this.heat.create(any(), any())).thenReturn(new StackRef("reporting_qa_7", "id-7"));

		this.deploy.createStack("run-42", "qa", "reporting_qa_7", "2026.11.24-1");

		ArgumentCaptor<StackRequest> request = ArgumentCaptor.forClass(StackRequest.class);
		verify(this.heat).create(org.mockito.ArgumentMatchers.eq("qa"), request.capture());
		assertThat(request.getValue().tags()).containsExactly("reporting-ops", "env-qa", "run-run-42");
	}

	@Test
	void releasesTheLockWhenARunEndsHoweverItEnds() {
		// what the end listener passes for a run cancelled before it said how it ended
		// (RunEnd)
		this.deploy.finish("run-1", "qa", "CANCELLED", "cancelled before it finished");
		verify(this.records).finish("run-1", "CANCELLED", "cancelled before it finished");
		verify(this.locks).release("deploy:qa", "run-1");
	}

	static StackState stack(int number, StackStatus status) {
		return new StackState(new StackRef("reporting_qa_" + number, "id-" + number), status, "", Map.of(), List.of());
	}

	static DeploySettings settings() {
		return new DeploySettings(Duration.ofMillis(500), Duration.ofSeconds(10), Duration.ofMinutes(10),
				Duration.ofSeconds(60), Duration.ofMinutes(10), Duration.ofSeconds(5), Duration.ofMinutes(10));
	}

	static EnvironmentsSettings environments(int keepPrevious) {
		EnvironmentSettings qa = new EnvironmentSettings(
				new CloudSettings("http://127.0.0.1:5000/v3", "reporting", "Default", "deployer",
						Secret.of("pw-123456"), null, 60, null),
				new StackSettings("reporting_qa_", "app-server.yaml", null, Map.of(), keepPrevious, 20),
				new WebFrontSettings("127.0.0.1", 22, "deploy", Path.of("/k"), Path.of("/kh"), "http://127.0.0.1:8088",
						List.of("reporting-switch"), 30),
				new DatabaseSettings("127.0.0.1", 5432, "reporting_qa", "reporting", Secret.of("db-pw-123")),
				TestEnvironments.appServer(), "/health", 80);
		return new EnvironmentsSettings(qa, null);
	}

}
