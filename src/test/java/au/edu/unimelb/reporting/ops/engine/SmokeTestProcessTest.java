package au.edu.unimelb.reporting.ops.engine;

import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.withVariables;

/**
 * The test-only model {@code smoke-test}: an async step the job executor runs, then a
 * user task for the testers.
 */
class SmokeTestProcessTest {

	@RegisterExtension
	static ProcessEngineExtension engine = ProcessEngineExtension.builder()
		.configurationResource("process-test.camunda.cfg.xml")
		.build();

	@Test
	@Deployment(resources = "processes/smoke-test.bpmn")
	void echoesAndWaitsForATester() {
		ProcessInstance instance = runtimeService().startProcessInstanceByKey("smoke-test",
				withVariables("message", "hello"));

		assertThat(instance).isWaitingAt("Task_Echo");
		execute(job());

		assertThat(instance).hasPassed("Task_Echo")
			.isWaitingAt("Task_Acknowledge")
			.variables()
			.containsEntry("echo", "hello");
		assertThat(task()).hasCandidateGroup("testers");

		complete(task());
		assertThat(instance).hasPassed("EndEvent_Done").isEnded();
	}

	@Test
	@Deployment(resources = "processes/smoke-test.bpmn")
	void raisesAnIncidentWhenTheStepKeepsFailing() {
		// No "message" variable: the expression fails on every try, and after its retry
		// cycle the job has an
		// incident instead of being retried forever.
		ProcessInstance instance = runtimeService().startProcessInstanceByKey("smoke-test");
		assertThat(instance).isWaitingAt("Task_Echo");
		for (int attempt = 0; attempt < 5 && job().getRetries() > 0; attempt++) {
			try {
				execute(job());
			}
			catch (RuntimeException expected) {
				// the failure is recorded on the job; the loop tries again as the job
				// executor would
			}
		}
		assertThat(instance).isWaitingAt("Task_Echo");
		assertThat(job()).hasRetries(0);
		org.assertj.core.api.Assertions
			.assertThat(runtimeService().createIncidentQuery().processInstanceId(instance.getId()).count())
			.isEqualTo(1);
	}

}
