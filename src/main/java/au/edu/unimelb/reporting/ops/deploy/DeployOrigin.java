package au.edu.unimelb.reporting.ops.deploy;

import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

import au.edu.unimelb.reporting.ops.deploy.ReleaseApprovals.Approval;
import au.edu.unimelb.reporting.ops.deploy.ReleaseApprovals.ReleaseApproval;
import au.edu.unimelb.reporting.ops.engine.RequestRefusedException;

/**
 * Under what authority a deploy runs, decided once when it starts (safety rule 9): Prod
 * changes only through a release whose testers approved this very build, or through an
 * operator's emergency deploy with a stated reason, recorded as having skipped UAT.
 * Approval data comes only from the calling release's record.
 *
 * @param startedBy who the record names as having started it
 * @param releaseId the release it is part of, or {@code null}
 * @param uat {@link #UAT_APPROVED}, {@link #UAT_SKIPPED} (a direct deploy to Prod) or
 * {@code null} (QA)
 * @param approvedBy the testers who approved the build (Prod, through a release), their
 * ids comma-separated in the order they approved
 * @param approvedAt when the approval was complete (the last required one came)
 * @param approvalComment what the tester wrote; with several approvals each comment as
 * {@code user: comment}, separated by {@code "; "}
 * @param reason why an operator deployed directly
 * @param approvals every approval, oldest first (empty unless {@code uat} is
 * {@link #UAT_APPROVED})
 */
public record DeployOrigin(String startedBy, String releaseId, String uat, String approvedBy, Instant approvedAt,
		String approvalComment, String reason, List<Approval> approvals) {

	public DeployOrigin {
		approvals = (approvals != null) ? List.copyOf(approvals) : List.of();
	}

	public static final String UAT_APPROVED = "APPROVED";

	public static final String UAT_SKIPPED = "SKIPPED";

	static final int REASON_MAX = 500;

	/**
	 * Plain text on one line: no control or format characters (line breaks, escapes,
	 * bidirectional overrides), in any script.
	 */
	private static final Pattern PLAIN_TEXT = Pattern.compile("[^\\p{C}]*");

	/**
	 * Decides the origin of a deploy whose environment and build are already checked.
	 * @throws RequestRefusedException 400 for approval data in the request or a missing
	 * or malformed reason, 403 for a direct deploy by anyone but an operator, 409 for a
	 * release that has not approved this build for Prod
	 */
	static DeployOrigin of(DeployRequest request, ReleaseApprovals releases) {
		boolean prod = "prod".equals(request.environment());
		if (request.callingRelease() != null) {
			return fromRelease(request, releases, prod);
		}
		if (!request.approvalVariables().isEmpty()) {
			throw RequestRefusedException.badInput("Refused: " + String.join(", ", request.approvalVariables())
					+ " can only come from the release that calls a deploy, never from a start request");
		}
		if (request.user() == null || !request.operator()) {
			throw RequestRefusedException.forbidden("Only an operator (group camunda-admin) may start deploy-replace "
					+ "directly; ship a build with the release process");
		}
		String reason = reason(request.reason(), prod);
		return new DeployOrigin(request.user(), null, prod ? UAT_SKIPPED : null, null, null, null, reason, List.of());
	}

	private static DeployOrigin fromRelease(DeployRequest request, ReleaseApprovals releases, boolean prod) {
		String id = request.callingRelease();
		ReleaseApproval release = releases.approvalOf(id)
			.orElseThrow(() -> RequestRefusedException.conflict("Refused: the release " + id
					+ " that called this deploy has no record (it did not start through its first step)"));
		if (!release.build().equals(request.build())) {
			throw RequestRefusedException.conflict("Refused: release " + id + " ships build " + release.build()
					+ ", not " + DeployService.abbreviate(request.build()));
		}
		String startedBy = release.startedBy() + " (release " + id + ")";
		if (!prod) {
			return new DeployOrigin(startedBy, id, null, null, null, null, null, List.of());
		}
		if (!release.approved()) {
			throw RequestRefusedException.conflict("Refused: build " + release.build() + " has no UAT approval in "
					+ "release " + id + " (decision: " + release.decision() + ", " + release.approvals().size() + " of "
					+ release.approvalsRequired() + " approvals); Prod is left as it is");
		}
		List<Approval> approvals = release.approvals();
		return new DeployOrigin(startedBy, id, UAT_APPROVED, ApprovalList.users(approvals), release.decidedAt(),
				ApprovalList.comments(approvals), null, approvals);
	}

	private static String reason(Object given, boolean prod) {
		if (given == null || (given instanceof String text && text.isBlank())) {
			if (prod) {
				throw RequestRefusedException.badInput("A direct deploy to Prod skips UAT and is for emergencies only: "
						+ "give a 'reason' (plain text, at most " + REASON_MAX + " characters)");
			}
			return null;
		}
		if (!(given instanceof String text) || text.length() > REASON_MAX || !PLAIN_TEXT.matcher(text).matches()) {
			throw RequestRefusedException
				.badInput("The 'reason' must be plain text on one line, at most " + REASON_MAX + " characters");
		}
		return text.strip();
	}

}
