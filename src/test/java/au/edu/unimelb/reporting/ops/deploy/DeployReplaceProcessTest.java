package au.edu.unimelb.reporting.ops.deploy;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings;
import au.edu.unimelb.reporting.ops.engine.RequestRefusedException;
import au.edu.unimelb.reporting.ops.heat.HeatException;
import au.edu.unimelb.reporting.ops.heat.StackRef;
import au.edu.unimelb.reporting.ops.ssh.HostKeyMismatchException;
import au.edu.unimelb.reporting.ops.ssh.SshException;
import au.edu.unimelb.reporting.ops.webfront.SwitchResult;
import au.edu.unimelb.reporting.ops.webfront.WebFrontException;
import au.edu.unimelb.reporting.ops.support.ProcessJobs;
import au.edu.unimelb.reporting.ops.support.TestNotices;
import org.assertj.core.api.Assertions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.ArgumentCaptor;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.identityService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.managementService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.repositoryService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * Every branch of {@code processes/deploy-replace.bpmn}, with its services replaced
 * ({@link DeployService}, {@link NewServerSecrets}, {@link HealthChecks},
 * {@link StackRetirement}): the happy path, each waiting loop, each failure and where it
 * leaves the web front.
 */
@Deployment(resources = "processes/deploy-replace.bpmn")
class DeployReplaceProcessTest {

	@RegisterExtension
	static ProcessEngineExtension engine = ProcessEngineExtension.builder()
		.configurationResource("process-test.camunda.cfg.xml")
		.build();

	static final StackRef NEW_STACK = new StackRef("reporting_qa_7", "id-7");

	static final String HOST_KEYS = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKn0Vn6r3qkZk0x7Qv1m4n1xWl7cM0lWm9i6uRr1kq8o";

	static final DeploySettings SETTINGS = new DeploySettings(Duration.ofMillis(500), Duration.ofSeconds(10),
			Duration.ofMinutes(10), Duration.ofSeconds(60), Duration.ofMinutes(10), Duration.ofSeconds(5),
			Duration.ofMinutes(10));

	final DeployService deploy = mock(DeployService.class);

	final HealthChecks health = mock(HealthChecks.class);

	final NewServerSecrets servers = mock(NewServerSecrets.class);

	final StackRetirement retirement = mock(StackRetirement.class);

	TestNotices notices;

	final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	final DeployMetrics metrics = new DeployMetrics(this.meters, mock(DeploymentRecords.class),
			DeployReplaceProcessTest.SETTINGS, mock(EnvironmentsSettings.class), Clock.systemUTC());

	@BeforeEach
	void registerDelegates() {
		when(this.deploy.settings()).thenReturn(SETTINGS);
		when(this.deploy.allocateStackName("qa")).thenReturn(NEW_STACK.name());
		when(this.deploy.createStack(anyString(), eq("qa"), eq(NEW_STACK.name()), eq("2026.11.24-1")))
			.thenReturn(NEW_STACK);
		when(this.deploy.stackDeadline("qa")).thenReturn(java.time.Instant.now().plusSeconds(600));
		when(this.deploy.acceptDeploy(any()))
			.thenReturn(new DeployOrigin("admin", null, null, null, null, null, null, List.of()));
		when(this.servers.readHostKeys(eq("qa"), eq(NEW_STACK.name()), any(), any()))
			.thenReturn(Check.ready(HOST_KEYS));
		Mocks.register("acceptDeployRequest", new AcceptDeployRequestDelegate(this.deploy));
		Mocks.register("allocateStackName", new AllocateStackNameDelegate(this.deploy));
		Mocks.register("createStack", new CreateStackDelegate(this.deploy));
		Mocks.register("checkStack", new CheckStackDelegate(this.deploy));
		Mocks.register("readHostKeys", new ReadHostKeysDelegate(this.servers, SETTINGS));
		Mocks.register("deliverSecrets", new DeliverSecretsDelegate(this.servers, SETTINGS));
		Mocks.register("checkServerHealth", new CheckServerHealthDelegate(this.health, SETTINGS));
		Mocks.register("switchWebFront", new SwitchWebFrontDelegate(this.deploy));
		Mocks.register("checkPublicUrl", new CheckPublicUrlDelegate(this.health, SETTINGS));
		Mocks.register("switchBack", new SwitchBackDelegate(this.deploy));
		Mocks.register("deleteNewStack", new DeleteNewStackDelegate(this.deploy));
		Mocks.register("retireOldStacks", new RetireOldStacksDelegate(this.retirement, SETTINGS));
		Mocks.register("checkRetired", new CheckRetiredDelegate(this.retirement, SETTINGS));
		this.notices = TestNotices.with(identityService());
		Mocks.register("finishRun",
				new FinishRunListener(this.deploy, new DeployNotices(this.notices.notifications), this.metrics));
		Mocks.register("deployOutcome", new DeployOutcomeListener());
	}

	@AfterEach
	void reset() {
		Mocks.reset();
	}

	@Test
	void deploysSwitchesChecksAndRetires() {
		when(this.deploy.checkStack(anyString(), eq("qa"), eq(NEW_STACK), any())).thenReturn(Check.PENDING,
				Check.ready("127.0.0.11:80"));
		when(this.health.checkServer(eq("qa"), eq("127.0.0.11:80"), any())).thenReturn(Check.PENDING,
				Check.ready("127.0.0.11:80"));
		when(this.deploy.switchTo(anyString(), eq("qa"), eq("127.0.0.11:80")))
			.thenReturn(new SwitchResult("qa", "127.0.0.12:80", "127.0.0.11:80", true));
		when(this.health.checkPublicUrl(eq("qa"), eq("2026.11.24-1"), any())).thenReturn(Check.PENDING,
				Check.ready("http://qa"));
		when(this.retirement.retireOldStacks("qa", NEW_STACK.name()))
			.thenReturn(List.of(new StackRef("reporting_qa_5", "id-5")));
		when(this.retirement.retiredStacksGone(eq("qa"), any(), any())).thenReturn(false, true);

		ProcessInstance instance = start();
		assertThat(instance).isWaitingAt("Task_AllocateStackName");
		run("Task_AllocateStackName", "Task_CreateStack", "Task_CheckStack");
		assertThat(instance).isWaitingAt("Timer_WaitForStack").variables().containsEntry("pollInterval", "PT0.5S");
		run("Timer_WaitForStack", "Task_CheckStack", "Task_ReadHostKeys", "Task_DeliverSecrets", "Task_CheckHealth",
				"Timer_WaitForHealth", "Task_CheckHealth", "Task_SwitchWebFront");
		assertThat(instance).variables().containsEntry("previousAddress", "127.0.0.12:80");
		runAfterSwitch("Task_CheckPublicUrl", "Timer_WaitForPublicUrl", "Task_CheckPublicUrl", "Task_RetireOldStacks",
				"Task_CheckRetired", "Timer_WaitForRetire", "Task_CheckRetired");

		assertThat(instance).isEnded().hasPassed("EndEvent_Deployed").variables().containsEntry("outcome", "DEPLOYED");
		verify(this.deploy).finish(instance.getId(), "qa", "DEPLOYED", null);
		Assertions.assertThat(
				this.meters.get("reporting.deploys").tags("environment", "qa", "outcome", "deployed").counter().count())
			.isEqualTo(1);
		Assertions.assertThat(this.meters.get("reporting.deploy.duration").tag("environment", "qa").timer().count())
			.isEqualTo(1);
		Assertions.assertThat(this.meters.get("reporting.deploy.phase.duration").tag("environment", "qa").timers())
			.extracting((timer) -> timer.getId().getTag("phase"))
			.containsExactlyInAnyOrder("stack_create", "health_wait", "switch", "public_check", "retire");
		verify(this.servers).deliverSecrets("qa", "127.0.0.11:80", HOST_KEYS);
		verify(this.deploy, never()).deleteStack(anyString(), any());
		verify(this.deploy, never()).switchBack(anyString(), anyString(), anyString());
		org.assertj.core.api.Assertions.assertThat(this.notices.mails)
			.as("QA deploys are the release's to tell")
			.isEmpty();
	}

	@Test
	void aProdDeployTellsTheOperatorsOnceWhenItServes() {
		StackRef prodStack = new StackRef("reporting_prod_7", "id-p7");
		prodStubs(prodStack);
		when(this.deploy.checkStack(anyString(), eq("prod"), eq(prodStack), any()))
			.thenReturn(Check.ready("127.0.0.12:80"));
		when(this.health.checkServer(eq("prod"), eq("127.0.0.12:80"), any())).thenReturn(Check.ready("127.0.0.12:80"));
		when(this.deploy.switchTo(anyString(), eq("prod"), eq("127.0.0.12:80")))
			.thenReturn(new SwitchResult("prod", "127.0.0.11:80", "127.0.0.12:80", true));
		when(this.health.checkPublicUrl(eq("prod"), eq("2026.11.24-1"), any())).thenReturn(Check.ready("http://prod"));
		when(this.retirement.retireOldStacks("prod", prodStack.name())).thenReturn(List.of());
		when(this.retirement.retiredStacksGone(eq("prod"), any(), any())).thenReturn(true);

		ProcessInstance instance = startIn("prod");
		run("Task_AllocateStackName", "Task_CreateStack", "Task_CheckStack", "Task_ReadHostKeys", "Task_DeliverSecrets",
				"Task_CheckHealth", "Task_SwitchWebFront");
		org.assertj.core.api.Assertions.assertThat(this.notices.mails).as("nothing before the run ends").isEmpty();
		runAfterSwitch("Task_CheckPublicUrl", "Task_RetireOldStacks", "Task_CheckRetired");

		assertThat(instance).isEnded().hasPassed("EndEvent_Deployed");
		org.assertj.core.api.Assertions.assertThat(this.notices.mails).singleElement().satisfies((mail) -> {
			org.assertj.core.api.Assertions.assertThat(mail.to()).containsExactly(TestNotices.OPERATORS);
			org.assertj.core.api.Assertions.assertThat(mail.subject())
				.isEqualTo("Prod deployed: build 2026.11.24-1 serves on Prod");
			org.assertj.core.api.Assertions.assertThat(mail.body())
				.contains("Environment: prod")
				.contains("Stack: reporting_prod_7")
				.contains("Deploy (process instance): " + instance.getId());
		});
	}

	@Test
	void aFailedProdDeployTellsTheOperatorsOnceWithTheReasonAndTheCockpitLink() {
		StackRef prodStack = new StackRef("reporting_prod_7", "id-p7");
		prodStubs(prodStack);
		when(this.deploy.checkStack(anyString(), eq("prod"), eq(prodStack), any()))
			.thenReturn(Check.failed("Stack reporting_prod_7 is CREATE_FAILED: no valid host"));
		ProcessInstance instance = startIn("prod");
		run("Task_AllocateStackName", "Task_CreateStack", "Task_CheckStack", "Task_DeleteNewStack");

		assertThat(instance).isEnded().hasPassed("EndEvent_DeployFailed");
		Assertions.assertThat(
				this.meters.get("reporting.deploys").tags("environment", "prod", "outcome", "failed").counter().count())
			.isEqualTo(1);
		Assertions
			.assertThat(this.meters.get("reporting.deploys")
				.tags("environment", "prod", "outcome", "deployed")
				.counter()
				.count())
			.isZero();
		org.assertj.core.api.Assertions.assertThat(this.notices.mails).singleElement().satisfies((mail) -> {
			org.assertj.core.api.Assertions.assertThat(mail.to()).containsExactly(TestNotices.OPERATORS);
			org.assertj.core.api.Assertions.assertThat(mail.subject())
				.isEqualTo("Prod deploy of build 2026.11.24-1 failed: the old server still serves");
			org.assertj.core.api.Assertions.assertThat(mail.body())
				.contains("Stack reporting_prod_7 is CREATE_FAILED: no valid host")
				.contains(
						TestNotices.PUBLIC_URL + "/camunda/app/cockpit/default/#/process-instance/" + instance.getId());
		});
	}

	private void prodStubs(StackRef prodStack) {
		when(this.deploy.allocateStackName("prod")).thenReturn(prodStack.name());
		when(this.deploy.createStack(anyString(), eq("prod"), eq(prodStack.name()), eq("2026.11.24-1")))
			.thenReturn(prodStack);
		when(this.deploy.stackDeadline("prod")).thenReturn(java.time.Instant.now().plusSeconds(600));
		when(this.servers.readHostKeys(eq("prod"), eq(prodStack.name()), any(), any()))
			.thenReturn(Check.ready(HOST_KEYS));
	}

	@Test
	void growsTheWaitBetweenChecksUpToTheLimit() {
		when(this.deploy.checkStack(anyString(), eq("qa"), eq(NEW_STACK), any())).thenReturn(Check.PENDING);
		ProcessInstance instance = start();
		run("Task_AllocateStackName", "Task_CreateStack", "Task_CheckStack");
		assertThat(instance).variables().containsEntry("pollInterval", "PT0.5S");
		run("Timer_WaitForStack", "Task_CheckStack");
		assertThat(instance).variables().containsEntry("pollInterval", "PT0.75S");
		for (int round = 0; round < 12; round++) {
			run("Timer_WaitForStack", "Task_CheckStack");
		}
		assertThat(instance).isWaitingAt("Timer_WaitForStack").variables().containsEntry("pollInterval", "PT10S");
	}

	@Test
	void deletesAFailedStackAndLeavesTheWebFrontAlone() {
		when(this.deploy.checkStack(anyString(), eq("qa"), eq(NEW_STACK), any()))
			.thenReturn(Check.failed("Stack reporting_qa_7 is CREATE_FAILED: Resource CREATE failed"));
		ProcessInstance instance = start();
		run("Task_AllocateStackName", "Task_CreateStack", "Task_CheckStack", "Task_DeleteNewStack");

		assertThat(instance).isEnded()
			.hasPassed("EndEvent_DeployFailed")
			.variables()
			.containsEntry("outcome", "FAILED");
		verify(this.deploy).deleteStack("qa", NEW_STACK);
		verify(this.deploy, never()).switchTo(anyString(), anyString(), anyString());
		verify(this.deploy).finish(instance.getId(), "qa", "FAILED",
				"Stack reporting_qa_7 is CREATE_FAILED: Resource CREATE failed");
	}

	@Test
	void neverSwitchesToAServerThatStaysUnhealthy() {
		when(this.deploy.checkStack(anyString(), eq("qa"), eq(NEW_STACK), any()))
			.thenReturn(Check.ready("127.0.0.11:80"));
		when(this.health.checkServer(eq("qa"), eq("127.0.0.11:80"), any())).thenReturn(Check.PENDING,
				Check.failed("The new server never became healthy"));
		ProcessInstance instance = start();
		run("Task_AllocateStackName", "Task_CreateStack", "Task_CheckStack", "Task_ReadHostKeys", "Task_DeliverSecrets",
				"Task_CheckHealth", "Timer_WaitForHealth", "Task_CheckHealth", "Task_DeleteNewStack");

		assertThat(instance).isEnded().hasPassed("EndEvent_DeployFailed").hasNotPassed("Task_SwitchWebFront");
		verify(this.deploy, never()).switchTo(anyString(), anyString(), anyString());
	}

	@Test
	void switchesBackWhenThePublicUrlDoesNotServeTheNewBuild() {
		when(this.deploy.checkStack(anyString(), eq("qa"), eq(NEW_STACK), any()))
			.thenReturn(Check.ready("127.0.0.11:80"));
		when(this.health.checkServer(eq("qa"), eq("127.0.0.11:80"), any())).thenReturn(Check.ready("127.0.0.11:80"));
		when(this.deploy.switchTo(anyString(), eq("qa"), eq("127.0.0.11:80")))
			.thenReturn(new SwitchResult("qa", "127.0.0.12:80", "127.0.0.11:80", true));
		when(this.health.checkPublicUrl(eq("qa"), eq("2026.11.24-1"), any()))
			.thenReturn(Check.failed("After the switch, http://qa/health does not serve build 2026.11.24-1"));
		ProcessInstance instance = start();
		run("Task_AllocateStackName", "Task_CreateStack", "Task_CheckStack", "Task_ReadHostKeys", "Task_DeliverSecrets",
				"Task_CheckHealth", "Task_SwitchWebFront");
		runAfterSwitch("Task_CheckPublicUrl", "Task_SwitchBack");
		run("Task_DeleteNewStack");

		assertThat(instance).isEnded().hasPassed("Task_SwitchBack", "EndEvent_DeployFailed");
		verify(this.deploy).switchBack(anyString(), eq("qa"), eq("127.0.0.12:80"));
		verify(this.deploy).deleteStack("qa", NEW_STACK);
		verify(this.retirement, never()).retireOldStacks(anyString(), anyString());
	}

	@Test
	void raisesAnIncidentWhenTheSwitchKeepsFailing() {
		when(this.deploy.checkStack(anyString(), eq("qa"), eq(NEW_STACK), any()))
			.thenReturn(Check.ready("127.0.0.11:80"));
		when(this.health.checkServer(eq("qa"), eq("127.0.0.11:80"), any())).thenReturn(Check.ready("127.0.0.11:80"));
		when(this.deploy.switchTo(anyString(), eq("qa"), eq("127.0.0.11:80")))
			.thenThrow(new WebFrontException("Switching the qa web front to 127.0.0.11:80 failed and restored the "
					+ "previous target: nginx -t failed"));
		ProcessInstance instance = start();
		run("Task_AllocateStackName", "Task_CreateStack", "Task_CheckStack", "Task_ReadHostKeys", "Task_DeliverSecrets",
				"Task_CheckHealth");
		exhaustRetries(instance);

		assertThat(instance).isWaitingAt("Task_SwitchWebFront");
		org.assertj.core.api.Assertions
			.assertThat(runtimeService().createIncidentQuery()
				.processInstanceId(instance.getId())
				.singleResult()
				.getIncidentMessage())
			.contains("nginx -t failed");
		verify(this.deploy, never()).finish(anyString(), anyString(), anyString(), any());
	}

	@Test
	void raisesAnIncidentWhenOldStacksCannotBeDeletedAndRetriesLater() {
		when(this.deploy.checkStack(anyString(), eq("qa"), eq(NEW_STACK), any()))
			.thenReturn(Check.ready("127.0.0.11:80"));
		when(this.health.checkServer(eq("qa"), eq("127.0.0.11:80"), any())).thenReturn(Check.ready("127.0.0.11:80"));
		when(this.deploy.switchTo(anyString(), eq("qa"), eq("127.0.0.11:80")))
			.thenReturn(new SwitchResult("qa", "127.0.0.12:80", "127.0.0.11:80", true));
		when(this.health.checkPublicUrl(eq("qa"), eq("2026.11.24-1"), any())).thenReturn(Check.ready("http://qa"));
		when(this.retirement.retireOldStacks("qa", NEW_STACK.name()))
			.thenReturn(List.of(new StackRef("reporting_qa_5", "id-5")));
		when(this.retirement.retiredStacksGone(eq("qa"), any(), any()))
			.thenThrow(new HeatException("Deleting old stack reporting_qa_5 failed: boom"))
			.thenThrow(new HeatException("Deleting old stack reporting_qa_5 failed: boom"))
			.thenThrow(new HeatException("Deleting old stack reporting_qa_5 failed: boom"))
			.thenReturn(true);
		ProcessInstance instance = start();
		run("Task_AllocateStackName", "Task_CreateStack", "Task_CheckStack", "Task_ReadHostKeys", "Task_DeliverSecrets",
				"Task_CheckHealth", "Task_SwitchWebFront");
		runAfterSwitch("Task_CheckPublicUrl", "Task_RetireOldStacks");
		exhaustRetries(instance);
		assertThat(instance).isWaitingAt("Task_CheckRetired");

		// The operator fixed Heat and retries the job from Cockpit.
		Job failed = job();
		managementService().setJobRetries(failed.getId(), 1);
		execute(job());
		assertThat(instance).isEnded().hasPassed("EndEvent_Deployed");
	}

	@Test
	void waitsForTheHostKeysOnTheConsoleThenDeliversTheSecretsBeforeTheHealthCheck() {
		when(this.deploy.checkStack(anyString(), eq("qa"), eq(NEW_STACK), any()))
			.thenReturn(Check.readyServer("127.0.0.11:80", "server-7"));
		when(this.servers.readHostKeys(eq("qa"), eq(NEW_STACK.name()), eq("server-7"), any())).thenReturn(Check.PENDING,
				Check.PENDING, Check.ready(HOST_KEYS));
		ProcessInstance instance = start();
		run("Task_AllocateStackName", "Task_CreateStack", "Task_CheckStack", "Task_ReadHostKeys");
		assertThat(instance).isWaitingAt("Timer_WaitForHostKeys").variables().containsEntry("pollInterval", "PT0.5S");
		run("Timer_WaitForHostKeys", "Task_ReadHostKeys");
		assertThat(instance).isWaitingAt("Timer_WaitForHostKeys").variables().containsEntry("pollInterval", "PT0.75S");
		verify(this.servers, never()).deliverSecrets(anyString(), anyString(), anyString());
		run("Timer_WaitForHostKeys", "Task_ReadHostKeys", "Task_DeliverSecrets");

		verify(this.servers).deliverSecrets("qa", "127.0.0.11:80", HOST_KEYS);
		assertThat(instance).isWaitingAt("Task_CheckHealth")
			.variables()
			.containsEntry("serverId", "server-7")
			.containsEntry("hostKeys", HOST_KEYS)
			.containsKey("healthDeadline")
			.doesNotContainKey("pollInterval");
	}

	@Test
	void deletesTheNewStackWhenItsConsoleNeverShowsHostKeys() {
		when(this.deploy.checkStack(anyString(), eq("qa"), eq(NEW_STACK), any()))
			.thenReturn(Check.readyServer("127.0.0.11:80", "server-7"));
		when(this.servers.readHostKeys(eq("qa"), eq(NEW_STACK.name()), eq("server-7"), any())).thenReturn(Check.PENDING,
				Check.failed("The console of server server-7 (stack reporting_qa_7) showed no SSH host keys by ..."));
		ProcessInstance instance = start();
		run("Task_AllocateStackName", "Task_CreateStack", "Task_CheckStack", "Task_ReadHostKeys",
				"Timer_WaitForHostKeys", "Task_ReadHostKeys", "Task_DeleteNewStack");

		assertThat(instance).isEnded().hasPassed("EndEvent_DeployFailed").hasNotPassed("Task_DeliverSecrets");
		verify(this.deploy).deleteStack("qa", NEW_STACK);
		verify(this.servers, never()).deliverSecrets(anyString(), anyString(), anyString());
		verify(this.health, never()).checkServer(anyString(), anyString(), any());
		verify(this.deploy).finish(instance.getId(), "qa", "FAILED",
				"The console of server server-7 (stack reporting_qa_7) showed no SSH host keys by ...");
	}

	@Test
	void refusesAServerThatPresentsAnotherHostKeyAndDeletesItsStack() {
		when(this.deploy.checkStack(anyString(), eq("qa"), eq(NEW_STACK), any()))
			.thenReturn(Check.readyServer("127.0.0.11:80", "server-7"));
		doThrow(new HostKeyMismatchException(
				"ssh reporting@127.0.0.11:22: the host key does not match the host keys " + "the cloud reported for it",
				null))
			.when(this.servers)
			.deliverSecrets("qa", "127.0.0.11:80", HOST_KEYS);
		ProcessInstance instance = start();
		run("Task_AllocateStackName", "Task_CreateStack", "Task_CheckStack", "Task_ReadHostKeys", "Task_DeliverSecrets",
				"Task_DeleteNewStack");

		assertThat(instance).isEnded()
			.hasPassed("Boundary_HostKeyMismatch", "EndEvent_DeployFailed")
			.hasNotPassed("Task_CheckHealth");
		verify(this.deploy).deleteStack("qa", NEW_STACK);
		verify(this.deploy, never()).switchTo(anyString(), anyString(), anyString());
		ArgumentCaptor<String> reason = ArgumentCaptor.forClass(String.class);
		verify(this.deploy).finish(eq(instance.getId()), eq("qa"), eq("FAILED"), reason.capture());
		org.assertj.core.api.Assertions.assertThat(reason.getValue())
			.startsWith("Refused to give the new server its secrets: ssh reporting@127.0.0.11:22: the host key does "
					+ "not match")
			.endsWith("The new stack is deleted; the old server keeps serving.");
	}

	@Test
	void anSshFailureWhileDeliveringRaisesAnIncidentAndARetryAfterTheFixGoesOn() {
		when(this.deploy.checkStack(anyString(), eq("qa"), eq(NEW_STACK), any()))
			.thenReturn(Check.readyServer("127.0.0.11:80", "server-7"));
		SshException refused = new SshException(
				"ssh reporting@127.0.0.11:22: java.net.ConnectException: " + "Connection refused");
		doThrow(refused).doThrow(refused)
			.doThrow(refused)
			.doNothing()
			.when(this.servers)
			.deliverSecrets("qa", "127.0.0.11:80", HOST_KEYS);
		ProcessInstance instance = start();
		run("Task_AllocateStackName", "Task_CreateStack", "Task_CheckStack", "Task_ReadHostKeys");
		exhaustRetries(instance);

		assertThat(instance).isWaitingAt("Task_DeliverSecrets");
		org.assertj.core.api.Assertions
			.assertThat(runtimeService().createIncidentQuery()
				.processInstanceId(instance.getId())
				.singleResult()
				.getIncidentMessage())
			.contains("Connection refused");
		verify(this.deploy, never()).deleteStack(anyString(), any());

		// The operator starts the server's sshd again and retries the job from Cockpit.
		managementService().setJobRetries(job().getId(), 1);
		execute(job());
		assertThat(instance).isWaitingAt("Task_CheckHealth");
		verify(this.servers, org.mockito.Mockito.times(4)).deliverSecrets("qa", "127.0.0.11:80", HOST_KEYS);
	}

	@Test
	void refusesBadInputBeforeAnythingStarts() {
		doThrow(RequestRefusedException.badInput("Unknown environment 'staging': use qa or prod")).when(this.deploy)
			.acceptDeploy(any());
		assertThatThrownBy(() -> runtimeService().startProcessInstanceByKey(DeployReplaceProcess.KEY,
				Map.of("environment", "staging", "build", "2026.11.24-1")))
			.hasMessageContaining("Unknown environment 'staging'");
		org.assertj.core.api.Assertions.assertThat(runtimeService().createProcessInstanceQuery().count()).isZero();
		verify(this.deploy, never()).allocateStackName(anyString());
	}

	@Test
	void asksTheServiceWithTheAuthenticatedUserNotTheStartVariables() {
		ProcessInstance instance;
		identityService().setAuthentication("admin", List.of("camunda-admin"));
		try {
			instance = runtimeService().startProcessInstanceByKey(DeployReplaceProcess.KEY,
					Map.of("environment", "prod", "build", "2026.11.24-1", "reason", "Prod is down", "initiator", "tom",
							"approvedBy", "tom", "approvalComment", "forged"));
		}
		finally {
			identityService().clearAuthentication();
		}
		ArgumentCaptor<DeployRequest> request = ArgumentCaptor.forClass(DeployRequest.class);
		verify(this.deploy).acceptDeploy(request.capture());
		org.assertj.core.api.Assertions.assertThat(request.getValue())
			.isEqualTo(new DeployRequest(instance.getId(), "prod", "2026.11.24-1", "admin", true, null, "Prod is down",
					List.of("approvedBy", "approvalComment")));
		assertThat(instance).variables().containsEntry("initiator", "admin");
	}

	@Test
	void aStartWithoutAnAuthenticatedUserIsNoOperatorsStart() {
		runtimeService().startProcessInstanceByKey(DeployReplaceProcess.KEY,
				Map.of("environment", "qa", "build", "2026.11.24-1", "initiator", "admin"));
		ArgumentCaptor<DeployRequest> request = ArgumentCaptor.forClass(DeployRequest.class);
		verify(this.deploy).acceptDeploy(request.capture());
		org.assertj.core.api.Assertions.assertThat(request.getValue().user()).isNull();
		org.assertj.core.api.Assertions.assertThat(request.getValue().operator()).isFalse();
	}

	private ProcessInstance start() {
		return startIn("qa");
	}

	private ProcessInstance startIn(String environment) {
		return runtimeService().startProcessInstanceByKey(DeployReplaceProcess.KEY,
				Map.of("environment", environment, "build", "2026.11.24-1"));
	}

	/**
	 * Executes the waiting job of each activity in turn (timers and async continuations
	 * alike).
	 */
	private void run(String... activities) {
		for (String activity : activities) {
			Job job = managementService().createJobQuery().activityId(activity).singleResult();
			org.assertj.core.api.Assertions.assertThat(job).as("a job waits at %s", activity).isNotNull();
			execute(job);
		}
	}

	/**
	 * The switch is async after too: its continuation comes before the next activity's
	 * job.
	 */
	private void runAfterSwitch(String... activities) {
		Job after = managementService().createJobQuery().activityId("Task_SwitchWebFront").singleResult();
		if (after == null) {
			after = managementService().createJobQuery().activityId("Task_SwitchBack").singleResult();
		}
		if (after != null) {
			execute(after);
		}
		for (String activity : activities) {
			run(activity);
			Job continuation = managementService().createJobQuery().activityId(activity).singleResult();
			if (continuation != null && "Task_SwitchBack".equals(activity)) {
				execute(continuation);
			}
		}
	}

	private void exhaustRetries(ProcessInstance instance) {
		for (int attempt = 0; attempt < 5; attempt++) {
			Job job = managementService().createJobQuery().processInstanceId(instance.getId()).singleResult();
			if (job == null || job.getRetries() == 0) {
				return;
			}
			try {
				managementService().executeJob(job.getId());
			}
			catch (RuntimeException expected) {
				// recorded on the job, as the job executor would
			}
		}
	}

	@Test
	void throwsAndCatchesOnlyTheErrorsItsConstantsName() {
		Assertions.assertThat(ProcessJobs.errorCodes(DeployReplaceProcess.KEY))
			.containsExactlyInAnyOrder(DeployReplaceProcess.ERROR_DEPLOY_FAILED,
					DeployReplaceProcess.ERROR_HOST_KEY_MISMATCH);
	}

}
