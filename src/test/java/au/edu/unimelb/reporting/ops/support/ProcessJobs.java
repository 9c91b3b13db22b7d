package au.edu.unimelb.reporting.ops.support;

import java.util.List;

import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.managementService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.repositoryService;

/**
 * Drives the jobs of a process instance in the process tests, where the job executor is
 * off.
 */
public final class ProcessJobs {

	private ProcessJobs() {
	}

	/**
	 * Executes the waiting job of each activity in turn (timers and async steps alike).
	 */
	public static void run(ProcessInstance instance, String... activities) {
		for (String activity : activities) {
			Job job = job(instance, activity);
			assertThat(job).as("a job waits at %s", activity).isNotNull();
			execute(job);
		}
	}

	/**
	 * Executes a failing job until its retries are used up (its failures expected), as
	 * the job executor would; the instance then has an incident there.
	 * @return the job, with no retries left
	 */
	public static Job failUntilIncident(ProcessInstance instance, String activity) {
		Job job = job(instance, activity);
		for (int attempt = 0; attempt < 5 && job.getRetries() > 0; attempt++) {
			try {
				managementService().executeJob(job.getId());
			}
			catch (RuntimeException expected) {
				// retried per the step's retry cycle, then an incident
			}
			job = job(instance, activity);
		}
		return job;
	}

	/** The error codes the deployed model of this process key throws or catches. */
	public static List<String> errorCodes(String key) {
		String definition = repositoryService().createProcessDefinitionQuery()
			.processDefinitionKey(key)
			.singleResult()
			.getId();
		return repositoryService().getBpmnModelInstance(definition)
			.getModelElementsByType(org.camunda.bpm.model.bpmn.instance.Error.class)
			.stream()
			.map(org.camunda.bpm.model.bpmn.instance.Error::getErrorCode)
			.toList();
	}

	private static Job job(ProcessInstance instance, String activity) {
		return managementService().createJobQuery()
			.processInstanceId(instance.getId())
			.activityId(activity)
			.singleResult();
	}

}
