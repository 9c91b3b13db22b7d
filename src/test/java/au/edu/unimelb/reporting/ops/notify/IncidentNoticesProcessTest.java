package au.edu.unimelb.reporting.ops.notify;

import java.util.List;
import java.util.Map;

import au.edu.unimelb.reporting.ops.support.TestNotices;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.cfg.StandaloneInMemProcessEngineConfiguration;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The incident hook, on an engine built with {@link IncidentNoticesPlugin} as the service
 * builds it: a step that fails for good (its incident raised) tells the operators once,
 * with the step, the message and the Cockpit link; a failed try that leaves retries (its
 * transaction rolled back, the incident not raised) tells nobody.
 */
class IncidentNoticesProcessTest {

	static ProcessEngine engine;

	static TestNotices notices;

	/** A step whose incident another notice announces (as a failed backup night's). */
	static final String ANNOUNCED = """
			<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
			    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="test">
			  <process id="announced" isExecutable="true" camunda:historyTimeToLive="1">
			    <startEvent id="Start"/>
			    <sequenceFlow id="F1" sourceRef="Start" targetRef="Task_Acknowledge"/>
			    <serviceTask id="Task_Acknowledge" camunda:asyncBefore="true" camunda:class="%s">
			      <extensionElements>
			        <camunda:properties><camunda:property name="%s" value="false"/></camunda:properties>
			      </extensionElements>
			    </serviceTask>
			    <sequenceFlow id="F2" sourceRef="Task_Acknowledge" targetRef="End"/>
			    <endEvent id="End"/>
			  </process>
			</definitions>
			""".formatted(Fails.class.getName(), IncidentNoticesPlugin.NOTIFY_PROPERTY);

	@BeforeAll
	static void buildEngine() {
		StandaloneInMemProcessEngineConfiguration configuration = new StandaloneInMemProcessEngineConfiguration();
		configuration.setJdbcUrl("jdbc:h2:mem:incident-notices;DB_CLOSE_DELAY=1000");
		configuration.setDatabaseSchemaUpdate("create-drop");
		configuration.setJobExecutorActivate(false);
		configuration.setProcessEngineName("incident-notices");
		configuration.setProcessEnginePlugins(List.of(new IncidentNoticesPlugin(() -> notices.notifications)));
		engine = configuration.buildProcessEngine();
		notices = TestNotices.with(engine.getIdentityService());
		engine.getRepositoryService()
			.createDeployment()
			.addModelInstance("fails.bpmn",
					Bpmn.createExecutableProcess("fails")
						.camundaHistoryTimeToLive(1)
						.startEvent()
						.serviceTask("Task_Fails")
						.name("Create the stack")
						.camundaAsyncBefore()
						.camundaClass(Fails.class.getName())
						.endEvent()
						.done())
			.addString("announced.bpmn", ANNOUNCED)
			.addModelInstance("waits.bpmn",
					Bpmn.createExecutableProcess("waits")
						.camundaHistoryTimeToLive(1)
						.startEvent()
						.userTask("Task_Waits")
						.endEvent()
						.done())
			.deploy();
	}

	@AfterAll
	static void closeEngine() {
		engine.close();
	}

	@BeforeEach
	void clear() {
		notices.clear();
	}

	@Test
	void aStepThatFailsForGoodTellsTheOperatorsOnce() {
		double sentBefore = notices.sent("mail", NoticeEvent.INCIDENT);
		ProcessInstance run = engine.getRuntimeService()
			.startProcessInstanceByKey("fails", Map.of("environment", "prod", "build", "2026.11.25-1"));
		Job job = engine.getManagementService().createJobQuery().processInstanceId(run.getId()).singleResult();

		assertThatThrownBy(() -> engine.getManagementService().executeJob(job.getId()))
			.hasMessageContaining("Heat said no");
		assertThat(notices.mails).as("a try with retries left rolled back: no incident, no message").isEmpty();

		engine.getManagementService().setJobRetries(job.getId(), 1);
		assertThatThrownBy(() -> engine.getManagementService().executeJob(job.getId()))
			.hasMessageContaining("Heat said no");

		assertThat(engine.getRuntimeService().createIncidentQuery().processInstanceId(run.getId()).count())
			.isEqualTo(1);
		assertThat(notices.mails).singleElement().satisfies((mail) -> {
			assertThat(mail.to()).containsExactly(TestNotices.OPERATORS);
			assertThat(mail.subject())
				.isEqualTo("Incident in fails: the step 'Create the stack (Task_Fails)' failed " + "and waits");
			assertThat(mail.body()).contains("Heat said no: CREATE_FAILED")
				.contains("Environment: prod")
				.contains("Build: 2026.11.25-1")
				.contains("Process instance: " + run.getId())
				.contains("Look at the incident in Cockpit: " + TestNotices.PUBLIC_URL
						+ "/camunda/app/cockpit/default/#/process-instance/" + run.getId() + "/runtime");
		});
		assertThat(notices.chats).hasSize(1);
		assertThat(notices.sent("mail", NoticeEvent.INCIDENT)).isEqualTo(sentBefore + 1);
	}

	@Test
	void aStepThatFailsAgainAfterARetryIsANewIncidentAndANewMessage() {
		ProcessInstance run = engine.getRuntimeService().startProcessInstanceByKey("fails");
		Job job = engine.getManagementService().createJobQuery().processInstanceId(run.getId()).singleResult();
		engine.getManagementService().setJobRetries(job.getId(), 1);
		assertThatThrownBy(() -> engine.getManagementService().executeJob(job.getId()));
		assertThat(notices.mails).hasSize(1);

		// the operator's Retry in Cockpit resolves the incident; the step fails again
		engine.getManagementService().setJobRetries(job.getId(), 1);
		assertThatThrownBy(() -> engine.getManagementService().executeJob(job.getId()));

		assertThat(notices.mails).as("one per incident").hasSize(2);
	}

	@Test
	void anIncidentOfATypeNobodyRegisteredTellsTheOperatorsToo() {
		ProcessInstance run = engine.getRuntimeService().startProcessInstanceByKey("waits");

		engine.getRuntimeService().createIncident("stuckInCustomer", run.getId(), "ticket-7", "Waiting on the vendor");

		assertThat(notices.mails).singleElement()
			.satisfies((mail) -> assertThat(mail.body()).contains("Waiting on the vendor")
				.contains("Incident type: stuckInCustomer"));
		engine.getRuntimeService()
			.resolveIncident(engine.getRuntimeService()
				.createIncidentQuery()
				.processInstanceId(run.getId())
				.singleResult()
				.getId());
		assertThat(engine.getRuntimeService().createIncidentQuery().processInstanceId(run.getId()).count()).isZero();
	}

	@Test
	void anIncidentAnotherNoticeAnnouncesSendsNothingMore() {
		ProcessInstance run = engine.getRuntimeService().startProcessInstanceByKey("announced");
		Job job = engine.getManagementService().createJobQuery().processInstanceId(run.getId()).singleResult();
		engine.getManagementService().setJobRetries(job.getId(), 1);

		assertThatThrownBy(() -> engine.getManagementService().executeJob(job.getId()));

		assertThat(engine.getRuntimeService().createIncidentQuery().processInstanceId(run.getId()).count())
			.isEqualTo(1);
		assertThat(notices.mails).isEmpty();
		assertThat(notices.chats).isEmpty();
	}

	@Test
	void theFailedNightsIncidentIsAnnouncedByTheNightsOwnNotice() {
		BpmnModelInstance nightly = Bpmn.readModelFromStream(
				IncidentNoticesProcessTest.class.getClassLoader().getResourceAsStream("processes/nightly-backup.bpmn"));
		ServiceTask report = nightly.getModelElementById("Task_ReportFailedNight");
		assertThat(report.getExtensionElements()
			.getElementsQuery()
			.filterByType(CamundaProperties.class)
			.singleResult()
			.getCamundaProperties())
			.as("the night's notice already says its incident waits: one message per failed night")
			.anySatisfy((property) -> {
				assertThat(property.getCamundaName()).isEqualTo(IncidentNoticesPlugin.NOTIFY_PROPERTY);
				assertThat(property.getCamundaValue()).isEqualTo("false");
			});
	}

	/** A step that always fails. */
	public static class Fails implements JavaDelegate {

		@Override
		public void execute(DelegateExecution execution) {
			throw new IllegalStateException("Heat said no: CREATE_FAILED");
		}

	}

}
