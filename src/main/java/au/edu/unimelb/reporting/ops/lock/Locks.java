package au.edu.unimelb.reporting.ops.lock;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.camunda.bpm.engine.RuntimeService;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Named locks held by process instances, in the service's database ({@code ops_lock}), so
 * that they hold across service nodes and survive a restart.
 *
 * <p>
 * A lock is taken in the transaction of the step that takes it, with a conditional update
 * of its row (which every database serializes), so two nodes can never both hold it, and
 * a refused request leaves nothing behind. A lock whose holder no longer runs (cancelled
 * in Cockpit, deleted) is stale and is taken over, so nothing blocks forever.
 */
@Component
public class Locks {

	private final JdbcTemplate jdbc;

	private final RuntimeService runtime;

	private final TransactionTemplate ownTransaction;

	public Locks(JdbcTemplate jdbc, RuntimeService runtime, PlatformTransactionManager transactions) {
		this.jdbc = jdbc;
		this.runtime = runtime;
		this.ownTransaction = new TransactionTemplate(transactions);
		this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	/**
	 * Takes a lock for a process instance; taking one it already holds is fine (a
	 * repeated step).
	 * @param name the lock ({@code deploy:qa})
	 * @param holder the process instance that takes it
	 * @param startedBy who started that instance, for the refusal message of others
	 * @throws LockHeldException when another running instance holds it
	 */
	public void acquire(String name, String holder, String startedBy) {
		ensureRow(name);
		for (int attempt = 0; attempt < 2; attempt++) {
			int taken = this.jdbc.update(
					"UPDATE ops_lock SET holder = ?, started_by = ?, acquired_at = ? WHERE name = ? AND (holder IS NULL OR holder = ?)",
					holder, startedBy, Timestamp.from(Instant.now()), name, holder);
			if (taken == 1) {
				return;
			}
			Map<String, Object> row = this.jdbc
				.queryForMap("SELECT holder, started_by, acquired_at FROM ops_lock WHERE name = ?", name);
			String current = (String) row.get("holder");
			if (current != null && isRunning(current)) {
				throw new LockHeldException(name, current, (String) row.get("started_by"), row.get("acquired_at"));
			}
			// The holder is gone: release its stale lock (only if it still holds it) and
			// try once more.
			this.jdbc.update("UPDATE ops_lock SET holder = NULL WHERE name = ? AND holder = ?", name, current);
		}
		throw new LockHeldException(name, null, null, null);
	}

	/**
	 * Releases a lock if this process instance holds it; otherwise does nothing.
	 */
	public void release(String name, String holder) {
		this.jdbc.update("UPDATE ops_lock SET holder = NULL, started_by = NULL, acquired_at = NULL "
				+ "WHERE name = ? AND holder = ?", name, holder);
	}

	/**
	 * @return the process instance holding the lock, if any
	 */
	public Optional<String> holder(String name) {
		List<String> holders = this.jdbc.queryForList("SELECT holder FROM ops_lock WHERE name = ?", String.class, name);
		return holders.stream().filter((holder) -> holder != null).findFirst();
	}

	/**
	 * Adds one to a counter and returns it, never less than a floor; in the caller's
	 * transaction.
	 * @param name the counter ({@code stack-number:qa})
	 * @param atLeast the result is at least this (the highest number in use, plus one)
	 * @return the new value
	 */
	public long next(String name, long atLeast) {
		this.ownTransaction.executeWithoutResult((status) -> {
			try {
				this.jdbc.update("INSERT INTO ops_counter (name, counter_value) VALUES (?, 0)", name);
			}
			catch (DuplicateKeyException exists) {
				// made by an earlier run or another node: fine
			}
		});
		Long current = this.jdbc.queryForObject("SELECT counter_value FROM ops_counter WHERE name = ? FOR UPDATE",
				Long.class, name);
		long next = Math.max(current + 1, atLeast);
		this.jdbc.update("UPDATE ops_counter SET counter_value = ? WHERE name = ?", next, name);
		return next;
	}

	private boolean isRunning(String processInstanceId) {
		return this.runtime.createProcessInstanceQuery().processInstanceId(processInstanceId).count() > 0;
	}

	private void ensureRow(String name) {
		Integer rows = this.jdbc.queryForObject("SELECT COUNT(*) FROM ops_lock WHERE name = ?", Integer.class, name);
		if (rows != null && rows > 0) {
			return;
		}
		// In a transaction of its own: a duplicate from another node must not spoil the
		// caller's transaction.
		this.ownTransaction.executeWithoutResult((status) -> {
			try {
				this.jdbc.update("INSERT INTO ops_lock (name) VALUES (?)", name);
			}
			catch (DuplicateKeyException exists) {
				// another node made it at the same moment: fine
			}
		});
	}

}
