package au.edu.unimelb.reporting.ops.release;

import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

import au.edu.unimelb.reporting.ops.deploy.ApprovalList;
import au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess;
import au.edu.unimelb.reporting.ops.deploy.ReleaseApprovals.Approval;
import au.edu.unimelb.reporting.ops.release.ReleaseService.Decision;
import au.edu.unimelb.reporting.ops.security.IdentityRoles;
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

import static au.edu.unimelb.reporting.ops.release.ReleaseProcess.APPROVALS;
import static au.edu.unimelb.reporting.ops.release.ReleaseProcess.APPROVALS_NEEDED;
import static au.edu.unimelb.reporting.ops.release.ReleaseProcess.APPROVALS_REQUIRED;
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
 * <li>on create: the task is named after the build (and, when several approvals are
 * needed, how many are in), and the release's starter and the person it was started for
 * lose every permission on the task (a user-level revoke beats the testers' group grant),
 * so they never see it; the last tester's answer is cleared from the form;</li>
 * <li>on complete: only a tester (a member of the group {@link IdentityRoles} names), not
 * one of those two (user ids compared ignoring case, as a directory does), may answer; a
 * tester approves once (a second approval is refused; they may still reject); a rejection
 * needs a comment; and the answer counts only if QA still serves what it served when UAT
 * began. A refused answer leaves the task open with the reason; an answer given after QA
 * changed ends the release and voids the approvals given before. Writes
 * {@code uatOutcome}, {@code uatMessage}, {@code decidedBy}, {@code uatApprovals} and
 * {@code uatApprovalsNeeded}; once every required approval is in, also {@code approvedBy}
 * (the testers, comma-separated), {@code approvedAt} and {@code approvalComment} (for
 * history: the Prod deploy reads the release's record).</li>
 * </ul>
 */
@Component("uatTask")
class UatTaskListener implements TaskListener {

	private final ReleaseService releases;

	private final IdentityRoles roles;

	private final ReleaseNotices notices;

	private final ReleaseMetrics metrics;

	UatTaskListener(ReleaseService releases, IdentityRoles roles, ReleaseNotices notices, ReleaseMetrics metrics) {
		this.releases = releases;
		this.roles = roles;
		this.notices = notices;
		this.metrics = metrics;
	}

	@Override
	public void notify(DelegateTask task) {
		if (EVENTNAME_CREATE.equals(task.getEventName())) {
			task.setName(name(task));
			keepAway(task);
			forgetLastAnswer(task);
			this.notices.uatWaiting(task, task.getId(), task.getProcessInstanceId());
		}
		else if (EVENTNAME_COMPLETE.equals(task.getEventName())) {
			judge(task);
		}
	}

	private static String name(DelegateTask task) {
		String name = "UAT approval of build " + task.getVariable(BUILD);
		Object required = task.getVariable(APPROVALS_REQUIRED);
		Object needed = task.getVariable(APPROVALS_NEEDED);
		if (required instanceof Integer count && count > 1 && needed instanceof Integer more) {
			name += " (" + (count - more) + " of " + count + " approvals given)";
		}
		return name;
	}

	/**
	 * The task is asked again after an approval when more are needed: the next tester's
	 * form must not come with the last tester's answer filled in (history keeps it).
	 */
	private static void forgetLastAnswer(DelegateTask task) {
		for (String name : List.of(DECISION, COMMENT)) {
			if (task.getExecution().getVariable(name) != null) {
				task.getExecution().setVariable(name, null);
			}
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
		boolean tester = user != null && isTester(authentication, identity);
		Decision decision = this.releases.decide(task.getProcessInstanceId(), (String) task.getVariable(BUILD),
				(String) task.getVariable(QA_STACK), (String) task.getVariable(INITIATOR),
				(String) task.getVariable(REQUESTED_BY), user, tester, (String) task.getVariable(DECISION),
				(String) task.getVariable(COMMENT));
		task.getExecution().setVariable(UAT_OUTCOME, decision.outcome());
		task.getExecution().setVariable(UAT_MESSAGE, decision.message());
		task.getExecution().setVariable(DECIDED_BY, decision.user());
		task.getExecution().setVariable(APPROVALS, approvalsJson(decision.approvals()));
		task.getExecution().setVariable(APPROVALS_NEEDED, decision.needed());
		if (ReleaseProcess.APPROVED.equals(decision.outcome())) {
			task.getExecution().setVariable(DeployReplaceProcess.APPROVED_BY, ApprovalList.users(decision.approvals()));
			task.getExecution().setVariable(DeployReplaceProcess.APPROVED_AT, decision.at().toString());
			task.getExecution()
				.setVariable(DeployReplaceProcess.APPROVAL_COMMENT,
						cut(ApprovalList.comments(decision.approvals()), VARIABLE_LIMIT));
		}
		else {
			// only the engine's own count says who approved: a value a tester's
			// completion
			// brought along is not history
			for (String name : List.of(DeployReplaceProcess.APPROVED_BY, DeployReplaceProcess.APPROVED_AT,
					DeployReplaceProcess.APPROVAL_COMMENT)) {
				task.getExecution().removeVariable(name);
			}
		}
		this.notices.decided(task, decision, task.getProcessInstanceId());
		if (ReleaseMetrics.DECISIONS.contains(decision.outcome())) {
			this.metrics.decided(decision.outcome(), ReleaseMetrics.qaDeployedAt(task.getExecution()));
		}
	}

	/**
	 * Whether the user is in the testers' group, as the engine authenticated them: the
	 * REST API and the webapps resolve a user's groups from the identity store at login
	 * (the directory, in ldap mode, whose group look-ups a non-admin user may not make
	 * inside the engine). An engine call that named only the user asks the store.
	 */
	private boolean isTester(Authentication authentication, IdentityService identity) {
		List<String> groups = authentication.getGroupIds();
		if (groups != null) {
			return groups.contains(this.roles.testersGroup());
		}
		return Context.getCommandContext()
			.runWithoutAuthorization(() -> identity.createUserQuery()
				.userId(authentication.getUserId())
				.memberOfGroup(this.roles.testersGroup())
				.count() > 0);
	}

	/**
	 * What a string variable may hold, with room to spare: Camunda keeps it in a column
	 * of 4000 characters, and a longer one fails the tester's answer, again and again.
	 */
	static final int VARIABLE_LIMIT = 3900;

	/**
	 * The approvals as the variable keeps them: control characters out, comments cut (to
	 * 200 characters, shorter still while the JSON, escaped, is over the limit).
	 */
	static String approvalsJson(List<Approval> approvals) {
		int cap = ReleaseProcess.APPROVAL_COMMENT_SHOWN;
		while (true) {
			int limit = cap;
			String json = ApprovalList.toJson(approvals.stream()
				.map((approval) -> new Approval(approval.user(), approval.at(),
						(approval.comment() != null) ? cut(approval.comment().replaceAll("\\p{Cntrl}", " "), limit)
								: null))
				.toList());
			if (json.length() <= VARIABLE_LIMIT || cap <= 4) {
				return json;
			}
			cap = cap / 2;
		}
	}

	private static String cut(String text, int limit) {
		return (text == null || text.length() <= limit) ? text : text.substring(0, Math.max(0, limit - 3)) + "...";
	}

}
