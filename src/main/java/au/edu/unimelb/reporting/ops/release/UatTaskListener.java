package au.edu.unimelb.reporting.ops.release;

import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

import au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess;
import au.edu.unimelb.reporting.ops.release.ReleaseService.Decision;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.identity.Authentication;

import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.release.ReleaseProcess.BUILD;
import static au.edu.unimelb.reporting.ops.release.ReleaseProcess.COMMENT;
import static au.edu.unimelb.reporting.ops.release.ReleaseProcess.DECIDED_BY;
import static au.edu.unimelb.reporting.ops.release.ReleaseProcess.DECISION;
import static au.edu.unimelb.reporting.ops.release.ReleaseProcess.INITIATOR;
import static au.edu.unimelb.reporting.ops.release.ReleaseProcess.QA_STACK;
import static au.edu.unimelb.reporting.ops.release.ReleaseProcess.REQUESTED_BY;
import static au.edu.unimelb.reporting.ops.release.ReleaseProcess.UAT_MESSAGE;
import static au.edu.unimelb.reporting.ops.release.ReleaseProcess.UAT_OUTCOME;

/**
 * The UAT task's listener ({@code uatTask}), which the engine runs whatever client
 * completes the task (Tasklist, REST), so the rules hold without the form:
 * <ul>
 * <li>on create: the task is named after the build, and the release's starter and the
 * person it was started for lose every permission on the task (a user-level revoke beats
 * the testers' group grant), so they never see it;</li>
 * <li>on complete: only a tester, not one of those two, may answer; a rejection needs a
 * comment; and the answer counts only if QA still serves the build and stack the task
 * showed. A refused answer leaves the task open with the reason; an answer given after QA
 * changed ends the release.</li>
 * </ul>
 */
@Component("uatTask")
class UatTaskListener implements TaskListener {

	private final ReleaseService releases;

	UatTaskListener(ReleaseService releases) {
		this.releases = releases;
	}

	@Override
	public void notify(DelegateTask task) {
		if (EVENTNAME_CREATE.equals(task.getEventName())) {
			task.setName("UAT approval of build " + task.getVariable(BUILD));
			keepAway(task);
		}
		else if (EVENTNAME_COMPLETE.equals(task.getEventName())) {
			judge(task);
		}
	}

	private void keepAway(DelegateTask task) {
		AuthorizationService authorizations = task.getProcessEngineServices().getAuthorizationService();
		List<String> users = Stream.of(task.getVariable(INITIATOR), task.getVariable(REQUESTED_BY))
			.filter(Objects::nonNull)
			.map(Object::toString)
			.distinct()
			.toList();
		Context.getCommandContext().runWithoutAuthorization(() -> {
			for (String user : users) {
				Authorization revoke = authorizations.createNewAuthorization(Authorization.AUTH_TYPE_REVOKE);
				revoke.setUserId(user);
				revoke.setResource(Resources.TASK);
				revoke.setResourceId(task.getId());
				revoke.removePermission(Permissions.ALL);
				authorizations.saveAuthorization(revoke);
			}
			return null;
		});
	}

	private void judge(DelegateTask task) {
		IdentityService identity = task.getProcessEngineServices().getIdentityService();
		Authentication authentication = identity.getCurrentAuthentication();
		String user = (authentication != null) ? authentication.getUserId() : null;
		boolean tester = user != null && Context.getCommandContext()
			.runWithoutAuthorization(
					() -> identity.createUserQuery().userId(user).memberOfGroup(ReleaseService.TESTERS).count() > 0);
		Decision decision = this.releases.decide(task.getProcessInstanceId(), (String) task.getVariable(BUILD),
				(String) task.getVariable(QA_STACK), (String) task.getVariable(INITIATOR),
				(String) task.getVariable(REQUESTED_BY), user, tester, (String) task.getVariable(DECISION),
				(String) task.getVariable(COMMENT));
		task.getExecution().setVariable(UAT_OUTCOME, decision.outcome());
		task.getExecution().setVariable(UAT_MESSAGE, decision.message());
		task.getExecution().setVariable(DECIDED_BY, decision.user());
		if (ReleaseProcess.APPROVED.equals(decision.outcome())) {
			task.getExecution().setVariable(DeployReplaceProcess.APPROVED_BY, decision.user());
			task.getExecution().setVariable(DeployReplaceProcess.APPROVED_AT, decision.at().toString());
			task.getExecution().setVariable(DeployReplaceProcess.APPROVAL_COMMENT, decision.comment());
		}
	}

}
