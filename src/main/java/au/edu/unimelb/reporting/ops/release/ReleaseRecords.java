package au.edu.unimelb.reporting.ops.release;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import au.edu.unimelb.reporting.ops.deploy.ReleaseApprovals;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.records.RecordValues.instant;
import static au.edu.unimelb.reporting.ops.records.RecordValues.now;
import static au.edu.unimelb.reporting.ops.records.RecordValues.truncate;

/**
 * The release records ({@code ops_release}), written in the transaction of the step that
 * learns each fact.
 */
@Component
public class ReleaseRecords implements ReleaseApprovals {

	private static final String COLUMNS = "id, build, started_by, requested_by, started_at, ended_at, outcome, detail, "
			+ "qa_stack, qa_data_as_of, decision, decided_by, decided_at, decision_comment";

	private final JdbcTemplate jdbc;

	public ReleaseRecords(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	public void start(String id, String build, String startedBy, String requestedBy) {
		this.jdbc.update("INSERT INTO ops_release (id, build, started_by, requested_by, started_at, outcome) "
				+ "VALUES (?, ?, ?, ?, ?, 'RUNNING')", id, build, startedBy, requestedBy, now());
	}

	public void qa(String id, String stack, Instant dataAsOf) {
		this.jdbc.update("UPDATE ops_release SET qa_stack = ?, qa_data_as_of = ? WHERE id = ?", stack,
				(dataAsOf != null) ? Timestamp.from(dataAsOf) : null, id);
	}

	public void decision(String id, String decision, String decidedBy, Instant decidedAt, String comment) {
		this.jdbc.update("UPDATE ops_release SET decision = ?, decided_by = ?, decided_at = ?, decision_comment = ? "
				+ "WHERE id = ?", decision, decidedBy, Timestamp.from(decidedAt), truncate(comment), id);
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

	/** What a deploy called by this release may know of it: its build and decision. */
	@Override
	public Optional<ReleaseApproval> approvalOf(String releaseId) {
		return find(releaseId).map((release) -> new ReleaseApproval(release.id(), release.build(), release.startedBy(),
				release.decision(), release.decidedBy(), release.decidedAt(), release.decisionComment()));
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
				rs.getString("decided_by"), instant(rs.getTimestamp("decided_at")), rs.getString("decision_comment"));
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
	 * @param decision {@code APPROVED}, {@code REJECTED} or {@code QA_CHANGED}
	 * @param decidedBy the tester
	 * @param decidedAt when
	 * @param decisionComment what they wrote
	 */
	public record Release(String id, String build, String startedBy, String requestedBy, Instant startedAt,
			Instant endedAt, String outcome, String detail, String qaStack, Instant qaDataAsOf, String decision,
			String decidedBy, Instant decidedAt, String decisionComment) {
	}

}
