package au.edu.unimelb.reporting.ops.release;

import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.task.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.release.ReleaseProcess.BUILD;

/**
 * {@code Task_RemindTesters} (the reminder timer's branch; the UAT task stays open): a
 * comment on the task that Tasklist shows, a higher priority so it sorts first, and a
 * warning in the log.
 */
@Component("remindTesters")
class RemindTestersDelegate implements JavaDelegate {

	private static final Logger log = LoggerFactory.getLogger(RemindTestersDelegate.class);

	private final ReleaseService releases;

	RemindTestersDelegate(ReleaseService releases) {
		this.releases = releases;
	}

	@Override
	public void execute(DelegateExecution execution) {
		TaskService tasks = execution.getProcessEngineServices().getTaskService();
		String message = "Reminder: build " + execution.getVariable(BUILD) + " has waited for UAT for "
				+ this.releases.settings().reminderAfter().toString().substring(2).toLowerCase() + "; it expires after "
				+ this.releases.settings().approvalDeadline().toString().substring(2).toLowerCase() + ".";
		for (Task task : tasks.createTaskQuery()
			.processInstanceId(execution.getProcessInstanceId())
			.taskDefinitionKey(ReleaseProcess.TASK_UAT)
			.list()) {
			tasks.createComment(task.getId(), execution.getProcessInstanceId(), message);
			tasks.setPriority(task.getId(), Math.max(task.getPriority(), 80));
		}
		log.warn("Release {}: {}", execution.getProcessInstanceId(), message);
	}

}
