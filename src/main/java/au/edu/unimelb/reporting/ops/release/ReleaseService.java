package au.edu.unimelb.reporting.ops.release;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings;
import au.edu.unimelb.reporting.ops.deploy.ApprovalList;
import au.edu.unimelb.reporting.ops.deploy.DeployService;
import au.edu.unimelb.reporting.ops.deploy.DeploymentRecord;
import au.edu.unimelb.reporting.ops.deploy.DeploymentRecords;
import au.edu.unimelb.reporting.ops.deploy.ReleaseApprovals.Approval;
import au.edu.unimelb.reporting.ops.engine.LogText;
import au.edu.unimelb.reporting.ops.engine.RequestRefusedException;
import au.edu.unimelb.reporting.ops.lock.LockHeldException;
import au.edu.unimelb.reporting.ops.lock.Locks;
import au.edu.unimelb.reporting.ops.nightly.BackupRecords;
import au.edu.unimelb.reporting.ops.release.ReleaseRecords.Release;
import au.edu.unimelb.reporting.ops.security.IdentityRoles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;

/**
 * What a release does around its two deploys: checks the request, shows testers what they
 * approve and judges their answer; the Prod backup before Prod is
 * {@link ProdBackupCheck}'s. Its delegates and listeners only move variables in and out.
 */
@Service
public class ReleaseService {

	private static final Logger log = LoggerFactory.getLogger(ReleaseService.class);

	static final Pattern USER_ID = Pattern.compile("[a-z][a-z0-9._-]{0,63}");

	private final ReleaseSettings settings;

	private final EnvironmentsSettings environments;

	private final DeploymentRecords deployments;

	private final BackupRecords backups;

	private final ReleaseRecords records;

	private final Locks locks;

	public ReleaseService(ReleaseSettings settings, EnvironmentsSettings environments, DeploymentRecords deployments,
			BackupRecords backups, ReleaseRecords records, Locks locks) {
		this.settings = settings;
		this.environments = environments;
		this.deployments = deployments;
		this.backups = backups;
		this.records = records;
		this.locks = locks;
	}

	public ReleaseSettings settings() {
		return this.settings;
	}

	/**
	 * Checks a release request and takes the release lock, in the starting transaction.
	 * @throws RequestRefusedException a missing or malformed build or requester (400),
	 * another release still running (409)
	 */
	public void acceptRelease(String runId, String build, String startedBy, String requestedBy) {
		DeployService.requireBuild(build);
		if (requestedBy != null && !USER_ID.matcher(requestedBy).matches()) {
			throw RequestRefusedException.badInput("The variable 'requestedBy' is not a user id: use lower case "
					+ "letters, digits and . _ - (at most 64)");
		}
		if (this.environments.find("qa").isEmpty() || this.environments.find("prod").isEmpty()) {
			throw RequestRefusedException
				.badInput("A release needs both environments configured (ops.environments.qa and .prod)");
		}
		try {
			this.locks.acquire(ReleaseProcess.LOCK, runId, startedBy);
		}
		catch (LockHeldException held) {
			String what = (held.getHolder() != null) ? this.records.find(held.getHolder())
				.map((release) -> "the release of build " + release.build())
				.orElse(null) : null;
			throw RequestRefusedException.lockedByAnotherRun(held, what,
					"Let it finish (approve or reject it in Tasklist), or cancel it in Cockpit, then start again.");
		}
		this.records.start(runId, build, startedBy, requestedBy, this.settings.approvalsRequired());
		log.info("Release {} of build {} accepted (started by {}{})", runId, build, startedBy,
				(requestedBy != null) ? " for " + requestedBy : "");
	}

	/**
	 * Gathers what testers are shown: QA must serve the release's build now.
	 * @throws IllegalStateException when QA serves something else
	 */
	public UatContext prepareUat(String runId, String build) {
		DeploymentRecord serving = this.deployments.serving("qa")
			.orElseThrow(() -> new IllegalStateException("QA serves nothing after its deploy"));
		if (!build.equals(serving.build())) {
			throw new IllegalStateException("QA serves build " + serving.build() + " (" + serving.stackName()
					+ "), not the release's build " + build);
		}
		Instant asOf = this.backups.latest(BackupRecords.RESTORE, 20)
			.stream()
			.filter((run) -> BackupRecords.RESTORED.equals(run.outcome()))
			.map(BackupRecords.BackupRun::backupTime)
			.findFirst()
			.orElse(null);
		String url = this.environments.find("qa").orElseThrow().webFront().publicUrl();
		this.records.qa(runId, serving.stackName(), asOf, serving.id());
		int required = this.records.find(runId).map(Release::required).orElse(this.settings.approvalsRequired());
		return new UatContext(url, serving.stackName(), asOf, required);
	}

	/**
	 * Judges a tester's answer, when they complete the UAT task. What was approved is
	 * taken from the release's own record, not from the task's variables (a caller who
	 * completes a task may send variables of its own): the task must show the record's
	 * build and QA stack, and a release is decided once. A release needs as many
	 * approvals from distinct testers as its record says; one rejection decides it. An
	 * answer given after QA changed (another deploy run serves QA than the one the
	 * testers were shown, even of the same stack) ends the release and voids every
	 * approval given before.
	 * @param build the build the task shows
	 * @param shownStack the QA stack the task shows
	 * @param startedBy the task's starter variable (the record's starter counts too)
	 * @param requestedBy the task's requester variable (the record's requester counts
	 * too)
	 * @param user who completes it
	 * @return what it comes to
	 * @throws RequestRefusedException when the answer is refused as it stands (the task
	 * stays open): not a tester, the release's own starter or requester, a second
	 * approval by the same tester, no decision, a rejection without a reason, a task that
	 * does not match the release's record, a release already decided
	 */
	public Decision decide(String runId, String build, String shownStack, String startedBy, String requestedBy,
			String user, boolean isTester, String decision, String comment) {
		if (user == null || !isTester) {
			throw RequestRefusedException
				.badInput("Only a member of the testers group may approve or reject a release");
		}
		Release release = this.records.find(runId)
			.orElseThrow(() -> RequestRefusedException.badInput("This task belongs to no release record: refused"));
		if (release.decision() != null || release.endedAt() != null) {
			throw RequestRefusedException.badInput("Release " + runId + " of build " + release.build()
					+ " is decided already (" + release.decision() + " by " + release.decidedBy() + "): refused");
		}
		if (!release.build().equals(build) || !Objects.equals(release.qaStack(), shownStack)) {
			throw RequestRefusedException.badInput("This task shows build " + LogText.of(build) + " ("
					+ LogText.of(shownStack) + ") but release " + runId + " ships build " + release.build() + " ("
					+ release.qaStack() + ") to testers: the answer is refused");
		}
		if (Stream.of(startedBy, requestedBy, release.startedBy(), release.requestedBy())
			.anyMatch((other) -> IdentityRoles.sameUser(user, other))) {
			throw RequestRefusedException.badInput("You started this release (or it was started for you): another "
					+ "tester must approve or reject build " + build);
		}
		String text = (comment == null) ? "" : comment.strip();
		if (text.length() > 2000) {
			throw RequestRefusedException.badInput("The comment is too long (at most 2000 characters)");
		}
		boolean approve = ReleaseProcess.APPROVE.equals(decision);
		if (!approve && !ReleaseProcess.REJECT.equals(decision)) {
			throw RequestRefusedException.badInput("Choose approve or reject");
		}
		if (!approve && text.isEmpty()) {
			throw RequestRefusedException
				.badInput("A rejection needs a comment: say what is wrong with build " + build);
		}
		int required = release.required();
		List<Approval> given = this.records.approvals(runId);
		Optional<Approval> mine = given.stream()
			.filter((approval) -> IdentityRoles.sameUser(approval.user(), user))
			.findFirst();
		if (approve && mine.isPresent()) {
			throw RequestRefusedException.badInput("You approved build " + build + " already (at " + mine.get().at()
					+ "): a tester's approval counts once. " + needed(required, given.size())
					+ " from other testers; you can still reject it.");
		}
		Instant now = Instant.now();
		Optional<DeploymentRecord> serving = this.deployments.serving("qa");
		boolean same = serving
			.map((qa) -> build.equals(qa.build()) && shownStack.equals(qa.stackName())
					&& (release.qaRun() == null || release.qaRun().equals(qa.id())))
			.orElse(false);
		if (!same) {
			String qa = serving.map((record) -> "build " + record.build() + " (" + record.stackName() + ")")
				.orElse("nothing");
			String voided = given.isEmpty() ? ""
					: "; the approvals given before (" + ApprovalList.users(given).replace(",", ", ") + ") are void";
			String message = "QA was redeployed while build " + build + " (" + shownStack + ") waited for UAT: it now "
					+ "serves " + qa + ". The " + (approve ? "approval" : "rejection") + " by " + user + " is refused"
					+ voided + " and the release ends; start a new release for the build to test.";
			this.records.voidApprovals(runId, now);
			record(runId, ReleaseProcess.QA_CHANGED, user, now, text);
			log.info("Release {} of build {}: {}", runId, build, LogText.of(message));
			return new Decision(ReleaseProcess.QA_CHANGED, user, now, text, message, List.of(), required);
		}
		if (!approve) {
			record(runId, ReleaseProcess.REJECTED, user, now, text);
			String message = "Rejected by " + user + ": " + text + (given.isEmpty() ? "" : " (after " + given.size()
					+ " of " + required + " approvals: " + ApprovalList.users(given).replace(",", ", ") + ")");
			log.info("Release {} of build {}: {}", runId, build, LogText.of(message));
			return new Decision(ReleaseProcess.REJECTED, user, now, text, message, given, required);
		}
		if (!this.records.approval(runId, user, now, text)) {
			throw RequestRefusedException.badInput("Release " + runId + " was decided a moment ago, or you approved it "
					+ "already: your answer is refused");
		}
		List<Approval> approvals = this.records.approvals(runId);
		String message = "Approved by " + user + (text.isEmpty() ? "" : ": " + text);
		String outcome = ReleaseProcess.PARTLY_APPROVED;
		if (approvals.size() >= required) {
			record(runId, ReleaseProcess.APPROVED, user, now, text);
			outcome = ReleaseProcess.APPROVED;
			if (required > 1) {
				message += " (" + approvals.size() + " of " + required + " approvals: "
						+ ApprovalList.users(approvals).replace(",", ", ") + ")";
			}
		}
		else {
			message += " (" + approvals.size() + " of " + required + " approvals; "
					+ needed(required, approvals.size()).toLowerCase() + " from another tester)";
		}
		log.info("Release {} of build {}: {}", runId, build, LogText.of(message));
		return new Decision(outcome, user, now, text, message, approvals, required);
	}

	private static String needed(int required, int given) {
		int more = Math.max(0, required - given);
		return (more == 1) ? "1 more approval is needed" : more + " more approvals are needed";
	}

	/**
	 * Why UAT expired, for the release's end: nobody answered, or not enough testers
	 * approved.
	 */
	public String expiredReason(String runId, String build) {
		List<Approval> approvals = this.records.approvals(runId);
		int required = this.records.find(runId).map(Release::required).orElse(1);
		if (approvals.isEmpty()) {
			return "No tester approved or rejected build " + build + " before the UAT deadline";
		}
		return "Build " + build + " had " + approvals.size() + " of " + required + " approvals ("
				+ ApprovalList.users(approvals).replace(",", ", ") + ") at the UAT deadline: "
				+ needed(required, approvals.size()).toLowerCase() + " and nobody rejected it";
	}

	private void record(String runId, String outcome, String user, Instant at, String comment) {
		if (!this.records.decision(runId, outcome, user, at, comment)) {
			throw RequestRefusedException.badInput(
					"Release " + runId + " was decided by someone else a moment ago: " + "your answer is refused");
		}
	}

	/** Ends a release: closes its record and releases the lock, however it ended. */
	public void finish(String runId, String outcome, String detail) {
		this.records.finish(runId, outcome, detail);
		this.locks.release(ReleaseProcess.LOCK, runId);
	}

	/**
	 * What testers are shown.
	 *
	 * @param qaUrl QA's public URL
	 * @param qaStack the QA stack that serves the build
	 * @param qaDataAsOf when QA's data was copied from Prod (the restored backup's time),
	 * or {@code null} when never
	 * @param approvalsRequired how many distinct testers must approve
	 */
	public record UatContext(String qaUrl, String qaStack, Instant qaDataAsOf, int approvalsRequired) {
	}

	/**
	 * A tester's answer, judged.
	 *
	 * @param outcome {@code APPROVED} (the last required approval),
	 * {@code PARTLY_APPROVED} (an approval, more needed), {@code REJECTED} or
	 * {@code QA_CHANGED}
	 * @param user the tester
	 * @param at when
	 * @param comment what they wrote
	 * @param message one sentence for people and Jenkins
	 * @param approvals the approvals that count so far, oldest first (none once QA
	 * changed: they are void)
	 * @param approvalsRequired how many distinct testers must approve
	 */
	public record Decision(String outcome, String user, Instant at, String comment, String message,
			List<Approval> approvals, int approvalsRequired) {

		public Decision {
			approvals = (approvals != null) ? List.copyOf(approvals) : List.of();
		}

		/**
		 * @return how many approvals are still needed
		 */
		public int needed() {
			return Math.max(0, this.approvalsRequired - this.approvals.size());
		}

	}

}
