package au.edu.unimelb.reporting.ops.release;

import java.util.ArrayList;
import java.util.List;

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
 * comment on the task that Tasklist shows, a higher priority so it sorts first, a warning
 * in the log, and a notice to the testers with the task's link.
 */
@Component("remindTesters")
class RemindTestersDelegate implements JavaDelegate {

	private static final Logger log = LoggerFactory.getLogger(RemindTestersDelegate.class);

	private final ReleaseService releases;

	private final ReleaseNotices notices;

	RemindTestersDelegate(ReleaseService releases, ReleaseNotices notices) {
		this.releases = releases;
		this.notices = notices;
	}

	@Override
	public void execute(DelegateExecution execution) {
		TaskService tasks = execution.getProcessEngineServices().getTaskService();
		String message = "Reminder: build " + execution.getVariable(BUILD) + " has waited for UAT for "
				+ this.releases.settings().reminderAfter().toString().substring(2).toLowerCase() + "; it expires after "
				+ this.releases.settings().approvalDeadline().toString().substring(2).toLowerCase() + ".";
		List<String> waiting = new ArrayList<>();
		for (Task task : tasks.createTaskQuery()
			.processInstanceId(execution.getProcessInstanceId())
			.taskDefinitionKey(ReleaseProcess.TASK_UAT)
			.list()) {
			tasks.createComment(task.getId(), execution.getProcessInstanceId(), message);
			tasks.setPriority(task.getId(), Math.max(task.getPriority(), 80));
			waiting.add(task.getId());
		}
		this.notices.reminder(execution, waiting, execution.getProcessInstanceId());
		log.warn("Release {}: {}", execution.getProcessInstanceId(), message);
	}

}
