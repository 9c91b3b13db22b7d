package au.edu.unimelb.reporting.ops.release;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import au.edu.unimelb.reporting.ops.deploy.ReleaseApprovals;
import au.edu.unimelb.reporting.ops.deploy.ReleaseApprovals.Approval;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.records.RecordValues.instant;
import static au.edu.unimelb.reporting.ops.records.RecordValues.now;
import static au.edu.unimelb.reporting.ops.records.RecordValues.truncate;

/**
 * The release records ({@code ops_release}, and {@code ops_release_approval}: one row per
 * tester's approval), written in the transaction of the step that learns each fact.
 */
@Component
public class ReleaseRecords implements ReleaseApprovals {

	private static final String COLUMNS = "id, build, started_by, requested_by, started_at, ended_at, outcome, detail, "
			+ "qa_stack, qa_data_as_of, decision, decided_by, decided_at, decision_comment, approvals_required, qa_run";

	private final JdbcTemplate jdbc;

	public ReleaseRecords(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Opens a release's record, with the number of approvals it needs (a later change of
	 * the setting leaves it as it started).
	 */
	public void start(String id, String build, String startedBy, String requestedBy, int approvalsRequired) {
		this.jdbc.update(
				"INSERT INTO ops_release (id, build, started_by, requested_by, started_at, outcome, "
						+ "approvals_required) VALUES (?, ?, ?, ?, ?, 'RUNNING', ?)",
				id, build, startedBy, requestedBy, now(), approvalsRequired);
	}

	/**
	 * Records what the testers are shown: the QA stack and the deploy run that made it
	 * serve (every answer is checked against that run).
	 */
	public void qa(String id, String stack, Instant dataAsOf, String qaRun) {
		this.jdbc.update("UPDATE ops_release SET qa_stack = ?, qa_data_as_of = ?, qa_run = ? WHERE id = ?", stack,
				(dataAsOf != null) ? Timestamp.from(dataAsOf) : null, qaRun, id);
	}

	/**
	 * Records one tester's approval of a release that is undecided and still running.
	 * @return whether it was recorded ({@code false}: this tester approved it already, or
	 * it is decided, ended or unknown)
	 */
	public boolean approval(String id, String user, Instant at, String comment) {
		// NOT EXISTS rather than a caught duplicate key: on PostgreSQL a failed statement
		// aborts the engine's whole transaction
		return this.jdbc.update(
				"INSERT INTO ops_release_approval (release_id, approved_by, approved_at, "
						+ "approval_comment) SELECT id, ?, ?, ? FROM ops_release r WHERE id = ? AND decision IS NULL "
						+ "AND ended_at IS NULL AND NOT EXISTS (SELECT 1 FROM ops_release_approval a "
						+ "WHERE a.release_id = r.id AND a.approved_by = ?)",
				user, Timestamp.from(at), truncate(comment), id, user) == 1;
	}

	/**
	 * @return the approvals of a release that count (not voided), oldest first
	 */
	public List<Approval> approvals(String id) {
		return this.jdbc.query(
				"SELECT approved_by, approved_at, approval_comment FROM ops_release_approval "
						+ "WHERE release_id = ? AND voided_at IS NULL ORDER BY approved_at, approved_by",
				(rs, row) -> new Approval(rs.getString("approved_by"), instant(rs.getTimestamp("approved_at")),
						rs.getString("approval_comment")),
				id);
	}

	/**
	 * Voids every approval of a release given so far (QA changed since they were given):
	 * they stay on record, and count no more.
	 */
	public void voidApprovals(String id, Instant at) {
		this.jdbc.update("UPDATE ops_release_approval SET voided_at = ? WHERE release_id = ? AND voided_at IS NULL",
				Timestamp.from(at), id);
	}

	/**
	 * Records the UAT decision of a release that has none yet and is still running.
	 * @return whether it was recorded ({@code false}: decided already, ended, or unknown)
	 */
	public boolean decision(String id, String decision, String decidedBy, Instant decidedAt, String comment) {
		return this.jdbc.update(
				"UPDATE ops_release SET decision = ?, decided_by = ?, decided_at = ?, decision_comment = ? "
						+ "WHERE id = ? AND decision IS NULL AND ended_at IS NULL",
				decision, decidedBy, Timestamp.from(decidedAt), truncate(comment), id) == 1;
	}

	/** Ends a release that is still running; an ended one is left as it is. */
	public void finish(String id, String outcome, String detail) {
		this.jdbc.update(
				"UPDATE ops_release SET outcome = ?, detail = ?, ended_at = ? WHERE id = ? AND ended_at IS NULL",
				outcome, truncate(detail), now(), id);
	}

	public Optional<Release> find(String id) {
		return this.jdbc.query("SELECT " + COLUMNS + " FROM ops_release WHERE id = ?", ReleaseRecords::map, id)
			.stream()
			.findFirst();
	}

	/**
	 * What a deploy called by this release may know of it: its build, decision and the
	 * approvals that count. A record from before approvals were counted (no number
	 * required) had one approval, its decision's.
	 */
	@Override
	public Optional<ReleaseApproval> approvalOf(String releaseId) {
		return find(releaseId).map((release) -> {
			List<Approval> approvals = approvals(releaseId);
			int required = release.required();
			if (release.approvalsRequired() == null && approvals.isEmpty() && release.decidedBy() != null
					&& ReleaseProcess.APPROVED.equals(release.decision())) {
				approvals = List.of(new Approval(release.decidedBy(), release.decidedAt(), release.decisionComment()));
			}
			return new ReleaseApproval(release.id(), release.build(), release.startedBy(), release.decision(),
					release.decidedBy(), release.decidedAt(), release.decisionComment(), required, approvals);
		});
	}

	public List<Release> latest(int limit) {
		return this.jdbc.query("SELECT " + COLUMNS + " FROM ops_release ORDER BY started_at DESC LIMIT ?",
				ReleaseRecords::map, limit);
	}

	private static Release map(ResultSet rs, int row) throws SQLException {
		return new Release(rs.getString("id"), rs.getString("build"), rs.getString("started_by"),
				rs.getString("requested_by"), instant(rs.getTimestamp("started_at")),
				instant(rs.getTimestamp("ended_at")), rs.getString("outcome"), rs.getString("detail"),
				rs.getString("qa_stack"), instant(rs.getTimestamp("qa_data_as_of")), rs.getString("decision"),
				rs.getString("decided_by"), instant(rs.getTimestamp("decided_at")), rs.getString("decision_comment"),
				(Integer) rs.getObject("approvals_required", Integer.class), rs.getString("qa_run"));
	}

	/**
	 * One release.
	 *
	 * @param id the process instance
	 * @param build the build it ships
	 * @param startedBy the user who started it (Jenkins)
	 * @param requestedBy the person it was started for, if Jenkins said
	 * @param startedAt when it started
	 * @param endedAt when it ended
	 * @param outcome {@code RUNNING}, {@code RELEASED}, {@code REJECTED},
	 * {@code QA_CHANGED}, {@code EXPIRED}, {@code FAILED} or {@code CANCELLED}
	 * @param detail why it ended so
	 * @param qaStack the QA stack the testers were shown
	 * @param qaDataAsOf the time of the Prod backup QA's data came from
	 * @param decision {@code APPROVED} (every required approval is in), {@code REJECTED}
	 * or {@code QA_CHANGED}
	 * @param decidedBy the tester whose answer decided it
	 * @param decidedAt when
	 * @param decisionComment what they wrote
	 * @param approvalsRequired how many distinct testers must approve ({@code null} on
	 * records from before approvals were counted: one)
	 * @param qaRun the deploy run that served QA when UAT began ({@code null} on older
	 * records)
	 */
	public record Release(String id, String build, String startedBy, String requestedBy, Instant startedAt,
			Instant endedAt, String outcome, String detail, String qaStack, Instant qaDataAsOf, String decision,
			String decidedBy, Instant decidedAt, String decisionComment, Integer approvalsRequired, String qaRun) {

		/**
		 * @return how many distinct testers must approve (one on older records)
		 */
		public int required() {
			return (this.approvalsRequired != null) ? this.approvalsRequired : 1;
		}

	}

}
