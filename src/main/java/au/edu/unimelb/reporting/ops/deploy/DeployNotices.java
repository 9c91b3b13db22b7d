package au.edu.unimelb.reporting.ops.deploy;

import au.edu.unimelb.reporting.ops.engine.RunEnd;
import au.edu.unimelb.reporting.ops.notify.Notice;
import au.edu.unimelb.reporting.ops.notify.NoticeEvent;
import au.edu.unimelb.reporting.ops.notify.Notifications;
import au.edu.unimelb.reporting.ops.notify.Recipients;
import org.camunda.bpm.engine.delegate.DelegateExecution;

import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.BUILD;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.INITIATOR;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.REASON;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.RELEASE_ID;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.STACK_NAME;

/**
 * What deploys tell the operators, when a run ends: a Prod deploy done, failed or
 * cancelled (QA deploys are the release's business: its testers and requester hear of
 * them), and every rollback, done or refused. Sent after the end commits.
 */
@Component
class DeployNotices {

	private final Notifications notifications;

	DeployNotices(Notifications notifications) {
		this.notifications = notifications;
	}

	void runEnded(DelegateExecution execution, String environment, RunEnd end) {
		this.notifications.guarded("deploy or rollback ended", () -> runEndedNow(execution, environment, end));
	}

	private void runEndedNow(DelegateExecution execution, String environment, RunEnd end) {
		if (!this.notifications.on()) {
			return;
		}
		String key = execution.getProcessEngineServices()
			.getRepositoryService()
			.getProcessDefinition(execution.getProcessDefinitionId())
			.getKey();
		String run = execution.getProcessInstanceId();
		Object build = execution.getVariable(BUILD);
		Notice.Builder notice;
		if (DeployReplaceProcess.ROLLBACK_KEY.equals(key)) {
			boolean done = DeployReplaceProcess.ROLLED_BACK.equals(end.outcome());
			notice = Notice
				.of(NoticeEvent.ROLLBACK,
						done ? "Rolled back: " + environment + " serves " + execution.getVariable(STACK_NAME) + " again"
								: "Rollback of " + environment + " " + end.outcome().toLowerCase()
										+ ": the web front is unchanged")
				.detail(end.detail())
				.where("Environment", environment)
				.where("Stack now serving", done ? execution.getVariable(STACK_NAME) : null)
				.where("Rollback (process instance)", run)
				.where("Started by", execution.getVariable(INITIATOR))
				.next(done
						? "Check the application on " + environment
								+ "; the stack rolled back from is kept until the next deploy retires it"
						: "Look at the rollback in Cockpit: " + this.notifications.instanceLink(run));
		}
		else if ("prod".equals(environment)) {
			boolean done = DeployReplaceProcess.DEPLOYED.equals(end.outcome());
			notice = Notice
				.of(done ? NoticeEvent.PROD_DEPLOYED : NoticeEvent.PROD_DEPLOY_FAILED,
						done ? "Prod deployed: build " + build + " serves on Prod"
								: "Prod deploy of build " + build + " " + end.outcome().toLowerCase()
										+ ": the old server still serves")
				.detail(end.detail())
				.where("Environment", environment)
				.where("Build", build)
				.where("Stack", execution.getVariable(STACK_NAME))
				.where("Deploy (process instance)", run)
				.where("Release", execution.getVariable(RELEASE_ID))
				.where("Emergency deploy, reason", execution.getVariable(REASON))
				.where("Started by", execution.getVariable(INITIATOR))
				.next(done ? "Check Prod; to go back, start a rollback of prod (Cockpit or REST)"
						: "Look at the deploy in Cockpit: " + this.notifications.instanceLink(run)
								+ "; fix the cause, then release again");
		}
		else {
			return;
		}
		this.notifications.send(notice.to(Recipients.operators()));
	}

}
