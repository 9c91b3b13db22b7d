package au.edu.unimelb.reporting.ops.deploy;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.records.RecordValues.instant;
import static au.edu.unimelb.reporting.ops.records.RecordValues.now;
import static au.edu.unimelb.reporting.ops.records.RecordValues.truncate;

/**
 * The deployment records ({@code ops_deployment}), written in the transaction of the step
 * that learns each fact.
 */
@Component
public class DeploymentRecords {

	private static final String COLUMNS = "id, kind, environment, build, stack_name, stack_id, address, previous_address, "
			+ "template_hash, started_by, started_at, ended_at, outcome, detail, release_id, approved_by, approved_at, "
			+ "approval_comment, uat, reason, approvals";

	/** A run whose server served: switched to, and not switched back. */
	private static final String SERVED = "served_at IS NOT NULL AND switched_back_at IS NULL";

	private final JdbcTemplate jdbc;

	public DeploymentRecords(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	public void start(String id, String kind, String environment, String build, String startedBy) {
		this.jdbc.update("INSERT INTO ops_deployment (id, kind, environment, build, started_by, started_at, outcome) "
				+ "VALUES (?, ?, ?, ?, ?, ?, 'RUNNING')", id, kind, environment, build, startedBy, now());
	}

	public void stack(String id, String stackName, String stackId, String templateHash) {
		this.jdbc.update(
				"UPDATE ops_deployment SET stack_name = ?, stack_id = ?, template_hash = COALESCE(?, template_hash) "
						+ "WHERE id = ?",
				stackName, stackId, templateHash, id);
	}

	/**
	 * Records under what authority a deploy runs: the release and its UAT approvals (each
	 * of them, and who approved as one comma-separated column), or an operator's reason
	 * for skipping UAT.
	 */
	public void origin(String id, DeployOrigin origin) {
		this.jdbc.update(
				"UPDATE ops_deployment SET release_id = ?, uat = ?, approved_by = ?, approved_at = ?, "
						+ "approval_comment = ?, reason = ?, approvals = ? WHERE id = ?",
				origin.releaseId(), origin.uat(), origin.approvedBy(),
				(origin.approvedAt() != null) ? Timestamp.from(origin.approvedAt()) : null,
				truncate(origin.approvalComment()), origin.reason(),
				origin.approvals().isEmpty() ? null : ApprovalList.toJson(origin.approvals()), id);
	}

	public void address(String id, String address) {
		this.jdbc.update("UPDATE ops_deployment SET address = ? WHERE id = ?", address, id);
	}

	/**
	 * Records that the run's server serves now, in the transaction of the switch: from
	 * then on it counts as serving, however the run ends (a cancel right after the switch
	 * included). A repeated switch keeps the first time.
	 */
	public void switched(String id, String previousAddress) {
		this.jdbc.update(
				"UPDATE ops_deployment SET previous_address = ?, served_at = COALESCE(served_at, ?) WHERE id = ?",
				previousAddress, now(), id);
	}

	/** Records that the web front was switched back to what served before the run. */
	public void switchedBack(String id) {
		this.jdbc.update("UPDATE ops_deployment SET switched_back_at = ? WHERE id = ?", now(), id);
	}

	/** Ends a record that is still running; an ended record is left as it is. */
	public void finish(String id, String outcome, String detail) {
		this.jdbc.update(
				"UPDATE ops_deployment SET outcome = ?, detail = ?, ended_at = ? WHERE id = ? AND ended_at IS NULL",
				outcome, truncate(detail), now(), id);
	}

	public Optional<DeploymentRecord> find(String id) {
		return this.jdbc.query("SELECT " + COLUMNS + " FROM ops_deployment WHERE id = ?", DeploymentRecords::map, id)
			.stream()
			.findFirst();
	}

	/**
	 * @param environment an environment, or {@code null} for all
	 * @param limit at most this many, newest first
	 */
	public List<DeploymentRecord> latest(String environment, int limit) {
		if (environment == null) {
			return this.jdbc.query("SELECT " + COLUMNS + " FROM ops_deployment ORDER BY started_at DESC LIMIT ?",
					DeploymentRecords::map, limit);
		}
		return this.jdbc.query(
				"SELECT " + COLUMNS + " FROM ops_deployment WHERE environment = ? ORDER BY started_at DESC LIMIT ?",
				DeploymentRecords::map, environment, limit);
	}

	/**
	 * @return the run whose server the environment's web front serves now: the newest one
	 * that switched to its server and did not switch back
	 */
	public Optional<DeploymentRecord> serving(String environment) {
		return this.jdbc
			.query("SELECT " + COLUMNS + " FROM ops_deployment WHERE environment = ? AND " + SERVED
					+ " ORDER BY served_at DESC LIMIT 1", DeploymentRecords::map, environment)
			.stream()
			.findFirst();
	}

	/**
	 * @return every time a stack began to serve in the environment (a deploy or rollback
	 * whose switch was committed and not switched back, however the run ended), oldest
	 * first
	 */
	public List<StackRetention.Served> servedHistory(String environment) {
		return this.jdbc.query(
				"SELECT stack_name, kind, served_at FROM ops_deployment WHERE environment = ? "
						+ "AND stack_name IS NOT NULL AND " + SERVED + " ORDER BY served_at",
				(rs, row) -> new StackRetention.Served(rs.getString("stack_name"),
						"ROLLBACK".equals(rs.getString("kind")), instant(rs.getTimestamp("served_at"))),
				environment);
	}

	/**
	 * @return every stack a record of the environment names, whatever its outcome
	 */
	public Set<String> recordedStacks(String environment) {
		return new HashSet<>(this.jdbc.queryForList(
				"SELECT DISTINCT stack_name FROM ops_deployment WHERE environment = ? AND stack_name IS NOT NULL",
				String.class, environment));
	}

	/**
	 * For the metrics, in one query: per environment, what serves now (the newest run
	 * that switched to its server and did not switch back) and since when.
	 */
	public List<Serving> servingNow() {
		return this.jdbc.query("SELECT environment, build, stack_name, served_at FROM ops_deployment d WHERE " + SERVED
				+ " AND served_at = (SELECT MAX(served_at) FROM ops_deployment s WHERE s.environment = d.environment AND "
				+ SERVED + ")",
				(rs, row) -> new Serving(rs.getString("environment"), rs.getString("build"), rs.getString("stack_name"),
						instant(rs.getTimestamp("served_at"))));
	}

	/**
	 * For the metrics, in one query: per environment, when the oldest deploy that has not
	 * ended and whose run still exists in the engine started (an environment with none is
	 * absent). A run deleted in Cockpit without its listeners leaves its record open for
	 * good; it runs no more, so it is no overdue deploy.
	 */
	public Map<String, Instant> deploysRunningSince() {
		Map<String, Instant> since = new HashMap<>();
		this.jdbc.query(
				"SELECT environment, MIN(started_at) AS since FROM ops_deployment d WHERE kind = 'DEPLOY' "
						+ "AND ended_at IS NULL AND EXISTS (SELECT 1 FROM ACT_RU_EXECUTION e WHERE e.ID_ = d.id) "
						+ "GROUP BY environment",
				(RowCallbackHandler) (rs) -> since.put(rs.getString("environment"), instant(rs.getTimestamp("since"))));
		return since;
	}

	/** What serves in an environment, and since when. */
	public record Serving(String environment, String build, String stack, Instant servedAt) {
	}

	private static DeploymentRecord map(ResultSet rs, int row) throws SQLException {
		return new DeploymentRecord(rs.getString("id"), rs.getString("kind"), rs.getString("environment"),
				rs.getString("build"), rs.getString("stack_name"), rs.getString("stack_id"), rs.getString("address"),
				rs.getString("previous_address"), rs.getString("template_hash"), rs.getString("started_by"),
				instant(rs.getTimestamp("started_at")), instant(rs.getTimestamp("ended_at")), rs.getString("outcome"),
				rs.getString("detail"), rs.getString("release_id"), rs.getString("approved_by"),
				instant(rs.getTimestamp("approved_at")), rs.getString("approval_comment"), rs.getString("uat"),
				rs.getString("reason"), ApprovalList.fromJson(rs.getString("approvals")));
	}

}
