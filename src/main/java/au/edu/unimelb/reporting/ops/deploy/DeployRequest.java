package au.edu.unimelb.reporting.ops.deploy;

import java.util.List;

/**
 * A start of deploy-replace as the engine saw it: what was asked, who is authenticated,
 * and which release (if any) called it.
 *
 * @param runId the process instance
 * @param environment {@code qa} or {@code prod}, as given
 * @param build the build reference, as given
 * @param user the authenticated user of the start, or {@code null} (a job: the Prod
 * deploy of a release runs from one)
 * @param operator whether that user is in {@code camunda-admin}
 * @param callingRelease the release process instance that called this run (its super
 * process instance), or {@code null}
 * @param reason the stated reason of a direct deploy, as given (may be {@code null})
 * @param approvalVariables names of start variables that look like approval data
 */
public record DeployRequest(String runId, String environment, String build, String user, boolean operator,
		String callingRelease, Object reason, List<String> approvalVariables) {

	/** Start variables that only a release may set: refused on any other start. */
	public static final List<String> APPROVAL_VARIABLES = List.of(DeployReplaceProcess.RELEASE_ID,
			DeployReplaceProcess.RELEASE_STARTED_BY, DeployReplaceProcess.APPROVED_BY, DeployReplaceProcess.APPROVED_AT,
			DeployReplaceProcess.APPROVAL_COMMENT);

}
