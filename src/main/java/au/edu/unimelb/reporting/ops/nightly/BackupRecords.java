package au.edu.unimelb.reporting.ops.nightly;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.records.RecordValues.instant;
import static au.edu.unimelb.reporting.ops.records.RecordValues.now;
import static au.edu.unimelb.reporting.ops.records.RecordValues.truncate;

/**
 * The records of backups and restores: one row per run ({@code ops_backup_run}) and one
 * per set uploaded to a tier ({@code ops_backup_set}), written in the transaction of the
 * step that learns each fact.
 */
@Component
public class BackupRecords {

	/** The kind of a qa-restore's run record. */
	public static final String RESTORE = "RESTORE";

	/** The outcome a restore that swapped its copy into QA records. */
	public static final String RESTORED = "RESTORED";

	private static final String RUN_COLUMNS = "id, kind, started_by, started_at, ended_at, outcome, detail, "
			+ "dump_bytes, backup_run, backup_time";

	private static final String SET_COLUMNS = "tier, set_time, run_id, size_bytes, duration_ms, verified, removed_at";

	private final JdbcTemplate jdbc;

	public BackupRecords(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** Opens a run's record; a repeated start of the same run is ignored. */
	public void start(String id, String kind, String startedBy) {
		if (run(id).isEmpty()) {
			this.jdbc.update("INSERT INTO ops_backup_run (id, kind, started_by, started_at, outcome) "
					+ "VALUES (?, ?, ?, ?, 'RUNNING')", id, kind, startedBy, now());
		}
	}

	public void dumpBytes(String id, long bytes) {
		this.jdbc.update("UPDATE ops_backup_run SET dump_bytes = ? WHERE id = ?", bytes, id);
	}

	/**
	 * Notes which backup a restore uses: the backup run, if known, and its set's time.
	 */
	public void restoredFrom(String id, String backupRun, Instant backupTime) {
		this.jdbc.update("UPDATE ops_backup_run SET backup_run = ?, backup_time = ? WHERE id = ?", backupRun,
				Timestamp.from(backupTime), id);
	}

	/** Adds a sentence to a run's detail (a tier that failed, a retention summary). */
	public void note(String id, String sentence) {
		String current = run(id).map(BackupRun::detail).orElse(null);
		String detail = (current == null) ? sentence : current + "; " + sentence;
		this.jdbc.update("UPDATE ops_backup_run SET detail = ? WHERE id = ?", truncate(detail), id);
	}

	/** Ends a run that is still running; an ended one is left as it is. */
	public void finish(String id, String outcome, String detail) {
		String current = run(id).map(BackupRun::detail).orElse(null);
		String all = (detail == null) ? current : ((current == null) ? detail : current + "; " + detail);
		this.jdbc.update(
				"UPDATE ops_backup_run SET outcome = ?, detail = ?, ended_at = ? WHERE id = ? AND ended_at IS NULL",
				outcome, truncate(all), now(), id);
	}

	public Optional<BackupRun> run(String id) {
		return this.jdbc.query("SELECT " + RUN_COLUMNS + " FROM ops_backup_run WHERE id = ?", BackupRecords::mapRun, id)
			.stream()
			.findFirst();
	}

	/**
	 * @param kind {@code BACKUP} or {@code RESTORE}
	 * @param limit at most this many, newest first
	 */
	public List<BackupRun> latest(String kind, int limit) {
		return this.jdbc.query(
				"SELECT " + RUN_COLUMNS + " FROM ops_backup_run WHERE kind = ? ORDER BY started_at DESC LIMIT ?",
				BackupRecords::mapRun, kind, limit);
	}

	/** Records a set uploaded to a tier (not yet verified); a repeat is ignored. */
	public void uploaded(String runId, String tier, Instant setTime, long sizeBytes, long durationMillis) {
		if (set(tier, setTime).isEmpty()) {
			this.jdbc.update(
					"INSERT INTO ops_backup_set (tier, set_time, run_id, size_bytes, duration_ms, verified) "
							+ "VALUES (?, ?, ?, ?, ?, FALSE)",
					tier, Timestamp.from(setTime), runId, sizeBytes, durationMillis);
		}
	}

	public void verified(String tier, Instant setTime) {
		this.jdbc.update("UPDATE ops_backup_set SET verified = TRUE WHERE tier = ? AND set_time = ?", tier,
				Timestamp.from(setTime));
	}

	public void removed(String tier, Instant setTime) {
		this.jdbc.update(
				"UPDATE ops_backup_set SET removed_at = ? WHERE tier = ? AND set_time = ? AND removed_at IS NULL",
				now(), tier, Timestamp.from(setTime));
	}

	public Optional<BackupSetRecord> set(String tier, Instant setTime) {
		return this.jdbc
			.query("SELECT " + SET_COLUMNS + " FROM ops_backup_set WHERE tier = ? AND set_time = ?",
					BackupRecords::mapSet, tier, Timestamp.from(setTime))
			.stream()
			.findFirst();
	}

	/** The sets a run uploaded, in tier order. */
	public List<BackupSetRecord> setsOfRun(String runId) {
		return this.jdbc.query("SELECT " + SET_COLUMNS + " FROM ops_backup_set WHERE run_id = ? ORDER BY tier",
				BackupRecords::mapSet, runId);
	}

	/**
	 * For the metrics: the run of this kind that ended last with this outcome, however
	 * many runs ended otherwise since.
	 */
	public Optional<BackupRun> lastEnded(String kind, String outcome) {
		return lastEndedWhere("outcome = ?", kind, outcome);
	}

	/**
	 * For the metrics: the run of this kind that ended last, with any outcome but this
	 * one (a skipped night is no backup run).
	 */
	public Optional<BackupRun> lastEndedExcept(String kind, String outcome) {
		return lastEndedWhere("outcome <> ?", kind, outcome);
	}

	private Optional<BackupRun> lastEndedWhere(String outcomeCondition, String kind, String outcome) {
		return this.jdbc
			.query("SELECT " + RUN_COLUMNS + " FROM ops_backup_run WHERE kind = ? AND " + outcomeCondition
					+ " AND ended_at IS NOT NULL ORDER BY ended_at DESC LIMIT 1", BackupRecords::mapRun, kind, outcome)
			.stream()
			.findFirst();
	}

	/** The time of the newest verified set of a tier that retention has not removed. */
	public Optional<Instant> lastVerified(String tier) {
		Timestamp newest = this.jdbc.queryForObject(
				"SELECT MAX(set_time) FROM ops_backup_set WHERE tier = ? AND verified AND removed_at IS NULL",
				Timestamp.class, tier);
		return Optional.ofNullable(newest).map(Timestamp::toInstant);
	}

	/**
	 * For the metrics, in one query: how long the newest upload of each tier took, in
	 * milliseconds (a tier with no set is absent).
	 */
	public Map<String, Long> lastUploadMillis() {
		Map<String, Long> millis = new HashMap<>();
		this.jdbc.query(
				"SELECT tier, duration_ms FROM ops_backup_set s WHERE set_time = "
						+ "(SELECT MAX(set_time) FROM ops_backup_set t WHERE t.tier = s.tier)",
				(RowCallbackHandler) (rs) -> millis.put(rs.getString("tier"), rs.getLong("duration_ms")));
		return millis;
	}

	/** Which of these set times of a tier were verified. */
	public boolean isVerified(String tier, Instant setTime) {
		return set(tier, setTime).map(BackupSetRecord::verified).orElse(false);
	}

	private static BackupRun mapRun(ResultSet rs, int row) throws SQLException {
		long dumpBytes = rs.getLong("dump_bytes");
		Long dump = rs.wasNull() ? null : dumpBytes;
		return new BackupRun(rs.getString("id"), rs.getString("kind"), rs.getString("started_by"),
				instant(rs.getTimestamp("started_at")), instant(rs.getTimestamp("ended_at")), rs.getString("outcome"),
				rs.getString("detail"), dump, rs.getString("backup_run"), instant(rs.getTimestamp("backup_time")));
	}

	private static BackupSetRecord mapSet(ResultSet rs, int row) throws SQLException {
		return new BackupSetRecord(rs.getString("tier"), instant(rs.getTimestamp("set_time")), rs.getString("run_id"),
				rs.getLong("size_bytes"), rs.getLong("duration_ms"), rs.getBoolean("verified"),
				instant(rs.getTimestamp("removed_at")));
	}

	/**
	 * One backup or restore run.
	 *
	 * @param id the process instance
	 * @param kind {@code BACKUP} or {@code RESTORE}
	 * @param startedBy who started it ({@code timer} for the nightly timer)
	 * @param startedAt when it started
	 * @param endedAt when it ended, or {@code null} while it runs
	 * @param outcome {@code RUNNING}, {@code BACKED_UP}, {@code INCOMPLETE},
	 * {@code RESTORED}, {@code FAILED} or {@code CANCELLED}
	 * @param detail why it failed, which tiers failed, what retention did
	 * @param dumpBytes the size of the dump (backups)
	 * @param backupRun the backup run whose set a restore used, if known
	 * @param backupTime the time of the set a restore used: QA's data is as of then
	 */
	public record BackupRun(String id, String kind, String startedBy, Instant startedAt, Instant endedAt,
			String outcome, String detail, Long dumpBytes, String backupRun, Instant backupTime) {
	}

	/**
	 * One set in one tier.
	 *
	 * @param tier {@code daily}, {@code weekly} or {@code monthly}
	 * @param setTime duplicity's time of the set
	 * @param runId the backup run that uploaded it
	 * @param sizeBytes the size of what it holds (the dump and its row counts)
	 * @param durationMillis how long its upload took
	 * @param verified whether {@code duplicity verify --compare-data} passed
	 * @param removedAt when retention removed it, or {@code null}
	 */
	public record BackupSetRecord(String tier, Instant setTime, String runId, long sizeBytes, long durationMillis,
			boolean verified, Instant removedAt) {
	}

}
