package au.edu.unimelb.reporting.ops.release;

import java.util.HashMap;
import java.util.Map;

import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;

import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.identityService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.taskService;

/**
 * The release's UAT task as the process tests handle it: found, and answered as a given
 * user, as Tasklist's form does (the decision and comment variables).
 */
final class UatTasks {

	private UatTasks() {
	}

	/** The release's open UAT task, or {@code null}. */
	static Task of(ProcessInstance release) {
		return taskService().createTaskQuery()
			.processInstanceId(release.getId())
			.taskDefinitionKey(ReleaseProcess.TASK_UAT)
			.singleResult();
	}

	/** Completes the task as {@code user} with the form's two answers. */
	static void answer(String user, Task task, String decision, String comment) {
		Map<String, Object> answer = new HashMap<>();
		answer.put("uatDecision", decision);
		answer.put("uatComment", comment);
		complete(user, task, answer);
	}

	/** Completes the task as {@code user} with the given variables. */
	static void complete(String user, Task task, Map<String, Object> variables) {
		identityService().setAuthenticatedUserId(user);
		try {
			taskService().complete(task.getId(), variables);
		}
		finally {
			identityService().clearAuthentication();
		}
	}

}
