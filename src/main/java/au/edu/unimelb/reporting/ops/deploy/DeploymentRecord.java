package au.edu.unimelb.reporting.ops.deploy;

import java.time.Instant;
import java.util.List;

/**
 * One deploy-replace or rollback run, as kept in {@code ops_deployment} and served by
 * {@code GET /api/deployments}.
 *
 * @param id the process instance id
 * @param kind {@code DEPLOY} or {@code ROLLBACK}
 * @param environment {@code qa} or {@code prod}
 * @param build the build reference
 * @param stackName the stack it made or switched to
 * @param stackId Heat's id of that stack
 * @param address the app server's address ({@code IP:PORT})
 * @param previousAddress the address the web front served before the switch
 * @param templateHash SHA-256 of the template, environment and files Heat received
 * @param startedBy the user who started it
 * @param startedAt when it started
 * @param endedAt when it ended, or {@code null} while it runs
 * @param outcome {@code RUNNING}, {@code DEPLOYED}, {@code ROLLED_BACK}, {@code FAILED}
 * or {@code CANCELLED}
 * @param detail why it failed, or what it did
 * @param releaseId the release it was part of, if any
 * @param approvedBy for a Prod deploy of a release: the testers who approved the build in
 * UAT, their ids comma-separated in the order they approved ({@code tom} with one
 * required approval, {@code tom,tina} with two)
 * @param approvedAt when the approval was complete (the last required one came)
 * @param approvalComment what they wrote (with several approvals: {@code tom: fine; tina:
 * ok})
 * @param uat {@code APPROVED} for a Prod deploy of an approved release, {@code SKIPPED}
 * for an operator's direct deploy to Prod, empty for QA and rollbacks
 * @param reason the operator's reason for a direct deploy
 * @param approvals each approval (tester, time, comment), oldest first; empty unless
 * {@code uat} is {@code APPROVED}
 */
public record DeploymentRecord(String id, String kind, String environment, String build, String stackName,
		String stackId, String address, String previousAddress, String templateHash, String startedBy,
		Instant startedAt, Instant endedAt, String outcome, String detail, String releaseId, String approvedBy,
		Instant approvedAt, String approvalComment, String uat, String reason,
		List<ReleaseApprovals.Approval> approvals) {

	public DeploymentRecord {
		approvals = (approvals != null) ? List.copyOf(approvals) : List.of();
	}

}
