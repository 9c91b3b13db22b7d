package au.edu.unimelb.reporting.ops.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Service nodes (the packaged jar, each its own JVM on a loopback port) on one engine
 * database, for the tests that kill them: each has a name ({@code ops.node-name}, which
 * Camunda's job log and the job lock owner carry), its own log, and can be killed with
 * {@code kill -9} and started again under the same name.
 */
public final class ServiceNodes implements AutoCloseable {

	private final Path dir;

	private final Map<String, String> settings;

	private final TestPostgres database;

	private final Map<String, ServiceProcess> alive = new LinkedHashMap<>();

	/** Nodes started but not yet healthy: their engines may already run jobs. */
	private final Map<String, ServiceProcess> starting = new LinkedHashMap<>();

	private final List<Path> logs = new ArrayList<>();

	private final List<String> orphans = new ArrayList<>();

	private final Map<ProcessHandle, String> descendants = new LinkedHashMap<>();

	private final Map<String, String> owners = new LinkedHashMap<>();

	/** The nodes' zone, in which Camunda writes its timestamps. */
	private final java.util.Calendar zone;

	/**
	 * @param dir where the nodes run and log
	 * @param settings every node's settings (the engine database among them)
	 * @param database that engine database, which the tests read job locks and logs from
	 */
	public ServiceNodes(Path dir, Map<String, String> settings, TestPostgres database) {
		this.dir = dir;
		this.settings = new LinkedHashMap<>(settings);
		this.database = database;
		this.zone = java.util.Calendar
			.getInstance(java.util.TimeZone.getTimeZone(settings.getOrDefault("ops.time-zone", "Australia/Melbourne")));
	}

	/** Starts a node (again) under this name and waits until it is healthy. */
	public ServiceProcess start(String name) throws Exception {
		Map<String, String> own = new LinkedHashMap<>(this.settings);
		own.put("ops.node-name", name);
		Path log = this.dir.resolve(name + ".log");
		synchronized (this) {
			if (!this.logs.contains(log)) {
				this.logs.add(log);
			}
		}
		ServiceProcess node = ServiceProcess.launch(this.dir, own, Map.of(), LoopbackSshd.freePort(), log);
		synchronized (this) {
			this.starting.put(name, node);
		}
		try {
			node.awaitHealthy(Duration.ofSeconds(120));
		}
		finally {
			synchronized (this) {
				this.starting.remove(name, node);
			}
		}
		// this start's job lock owner, as the node logs it: a node started again under
		// the
		// same name is another owner
		java.util.regex.Matcher owner = java.util.regex.Pattern.compile("owner (" + name + "/[0-9a-f]+)\\)")
			.matcher(Files.readString(log));
		String last = null;
		while (owner.find()) {
			last = owner.group(1);
		}
		if (last == null) {
			throw new IllegalStateException("Node " + name + " did not log its job lock owner; see " + log);
		}
		synchronized (this) {
			this.alive.put(name, node);
			this.owners.put(name, last);
		}
		return node;
	}

	/** Starts a node in the background: the test goes on while it comes up. */
	public java.util.concurrent.CompletableFuture<ServiceProcess> startLater(String name) {
		// a thread of its own, not the common pool (one thread on two cores: a start
		// would
		// hold up every other async task of the test for seconds)
		java.util.concurrent.CompletableFuture<ServiceProcess> started = new java.util.concurrent.CompletableFuture<>();
		Thread starter = new Thread(() -> {
			try {
				started.complete(start(name));
			}
			catch (Throwable ex) {
				started.completeExceptionally(new IllegalStateException("Node " + name + " did not start", ex));
			}
		}, "start-" + name);
		starter.setDaemon(true);
		starter.start();
		return started;
	}

	public synchronized ServiceProcess node(String name) {
		return this.alive.get(name);
	}

	public synchronized List<String> names() {
		return List.copyOf(this.alive.keySet());
	}

	public synchronized ServiceProcess any() {
		return this.alive.values().iterator().next();
	}

	/**
	 * {@code kill -9} of a node; then checks that the programs it had started itself die
	 * with it within 2 s (they are started to), and remembers their own children (a
	 * pg_restore worker, duplicity's gpg), which must be gone by {@link #orphans()}.
	 */
	public void kill(String name) throws Exception {
		ServiceProcess running;
		synchronized (this) {
			running = this.alive.remove(name);
			if (running == null) {
				// still starting: its start fails when it dies
				running = this.starting.remove(name);
			}
			// its locks are a dead node's now
			this.owners.remove(name);
		}
		if (running == null) {
			throw new IllegalStateException("No node " + name + " runs");
		}
		ServiceProcess node = running;
		Map<ProcessHandle, String> children = new LinkedHashMap<>();
		ProcessHandle.of(node.pid())
			.ifPresent((process) -> process.descendants()
				.forEach((child) -> children.put(child, child.info().commandLine().orElse("pid " + child.pid()))));
		// before the kill: after it, a survivor's parent is init
		List<ProcessHandle> own = children.keySet()
			.stream()
			.filter((child) -> child.parent().map(ProcessHandle::pid).orElse(-1L) == node.pid())
			.toList();
		node.kill();
		try {
			Awaitility.await("the programs " + name + " started, gone with it")
				.atMost(Duration.ofSeconds(2))
				.pollInterval(Duration.ofMillis(20))
				.until(() -> own.stream().noneMatch(ProcessHandle::isAlive));
		}
		catch (ConditionTimeoutException someStillRun) {
			// noted below
		}
		synchronized (this) {
			for (Map.Entry<ProcessHandle, String> child : children.entrySet()) {
				if (own.contains(child.getKey()) && child.getKey().isAlive()) {
					this.orphans.add(name + " (still running 2 s after the kill): " + child.getValue());
				}
				this.descendants.put(child.getKey(), name + ": " + child.getValue());
			}
		}
	}

	/**
	 * Programs that outlived their killed node: its own children by more than 2 s, theirs
	 * until now.
	 */
	public synchronized List<String> orphans() {
		List<String> all = new ArrayList<>(this.orphans);
		this.descendants.forEach((process, line) -> {
			if (process.isAlive()) {
				all.add(line);
			}
		});
		return all;
	}

	/**
	 * The node whose JVM started this program, if it is one of the living nodes (also one
	 * still starting: its engine runs jobs before it reports healthy).
	 */
	public synchronized Optional<String> parentOf(ProcessHandle program) {
		long parent = program.parent().map(ProcessHandle::pid).orElse(-1L);
		return java.util.stream.Stream.concat(this.alive.entrySet().stream(), this.starting.entrySet().stream())
			.filter((entry) -> entry.getValue().pid() == parent)
			.map(Map.Entry::getKey)
			.findFirst();
	}

	/**
	 * The node working on a process instance now: the one holding an unexpired lock on
	 * one of its jobs, else the one that executed its latest job, else empty.
	 */
	public Optional<String> workingOn(String processInstanceId) throws SQLException {
		Optional<String> locking = lockingNode(processInstanceId);
		if (locking.isPresent()) {
			return locking;
		}
		Set<String> living;
		synchronized (this) {
			living = Set.copyOf(this.alive.keySet());
		}
		try (Connection connection = connect();
				PreparedStatement last = connection.prepareStatement("SELECT HOSTNAME_ FROM ACT_HI_JOB_LOG "
						+ "WHERE PROCESS_INSTANCE_ID_ = ? ORDER BY TIMESTAMP_ DESC, SEQUENCE_COUNTER_ DESC LIMIT 1")) {
			last.setString(1, processInstanceId);
			try (ResultSet rows = last.executeQuery()) {
				if (rows.next() && living.contains(rows.getString(1))) {
					return Optional.of(rows.getString(1));
				}
			}
		}
		return Optional.empty();
	}

	/**
	 * The living node (this very start of it) that holds an unexpired lock on one of the
	 * instance's jobs.
	 */
	public Optional<String> lockingNode(String processInstanceId) throws SQLException {
		Map<String, String> owners;
		synchronized (this) {
			owners = Map.copyOf(this.owners);
		}
		try (Connection connection = connect();
				PreparedStatement locked = connection.prepareStatement("SELECT LOCK_OWNER_ FROM ACT_RU_JOB "
						+ "WHERE PROCESS_INSTANCE_ID_ = ? AND LOCK_OWNER_ IS NOT NULL AND LOCK_EXP_TIME_ > ?")) {
			locked.setString(1, processInstanceId);
			locked.setTimestamp(2, Timestamp.from(Instant.now()), this.zone);
			try (ResultSet rows = locked.executeQuery()) {
				while (rows.next()) {
					String owner = rows.getString(1);
					for (Map.Entry<String, String> node : owners.entrySet()) {
						if (owner.equals(node.getValue())) {
							return Optional.of(node.getKey());
						}
					}
				}
			}
		}
		return Optional.empty();
	}

	/**
	 * The first time a job of the instance was executed (successfully or not) after a
	 * moment, by any node: when the work resumed after a kill.
	 */
	public Optional<Instant> firstJobAfter(String processInstanceId, Instant after) throws SQLException {
		try (Connection connection = connect();
				PreparedStatement first = connection.prepareStatement("SELECT MIN(TIMESTAMP_) FROM ACT_HI_JOB_LOG "
						+ "WHERE PROCESS_INSTANCE_ID_ = ? AND TIMESTAMP_ > ? AND (JOB_STATE_ = 2 OR JOB_STATE_ = 1)")) {
			first.setString(1, processInstanceId);
			first.setTimestamp(2, Timestamp.from(after), this.zone);
			try (ResultSet rows = first.executeQuery()) {
				rows.next();
				Timestamp time = rows.getTimestamp(1, this.zone);
				return Optional.ofNullable(time).map(Timestamp::toInstant);
			}
		}
	}

	/**
	 * Waits until the work of an instance is taken up again after a node was killed: one
	 * of its jobs locked by a living node, a job of it executed after the kill, or the
	 * instance ended.
	 * @return the time from the kill to that moment
	 */
	public Duration awaitResumed(String processInstanceId, Instant killedAt, Duration limit) {
		Awaitility.await(processInstanceId + " resumed after the kill")
			.atMost(limit)
			.pollInterval(Duration.ofMillis(50))
			.until(() -> ended(processInstanceId) || lockingNode(processInstanceId).isPresent()
					|| firstJobAfter(processInstanceId, killedAt).isPresent());
		return Duration.between(killedAt, Instant.now());
	}

	private boolean ended(String processInstanceId) throws SQLException {
		try (Connection connection = connect();
				PreparedStatement running = connection
					.prepareStatement("SELECT COUNT(*) FROM ACT_RU_EXECUTION WHERE PROC_INST_ID_ = ?")) {
			running.setString(1, processInstanceId);
			try (ResultSet rows = running.executeQuery()) {
				rows.next();
				return rows.getLong(1) == 0;
			}
		}
	}

	/**
	 * What a run must not leave behind once it ended, however often its nodes were
	 * killed: a held lock ({@code ops_lock}), an incident, a program outliving its node,
	 * a secret in the engine's tables or in any node's log.
	 * @return one line for each thing left, empty when there is none
	 */
	public List<String> leftovers(Collection<String> secrets) throws Exception {
		List<String> left = new ArrayList<>();
		orphans().forEach((orphan) -> left.add("a program outlived its node: " + orphan));
		try (Connection connection = connect(); Statement sql = connection.createStatement()) {
			try (ResultSet held = sql.executeQuery("SELECT name, holder FROM ops_lock WHERE holder IS NOT NULL")) {
				while (held.next()) {
					left.add("lock " + held.getString(1) + " still held by " + held.getString(2));
				}
			}
			try (ResultSet incidents = sql.executeQuery("SELECT INCIDENT_MSG_ FROM ACT_RU_INCIDENT")) {
				while (incidents.next()) {
					left.add("incident: " + incidents.getString(1));
				}
			}
			SecretScan.engineTables(connection, secrets)
				.forEach((table) -> left.add("a configured secret in table " + table));
		}
		String logs = logs();
		int index = 0;
		for (String secret : secrets) {
			index++;
			if (logs.contains(secret)) {
				left.add("configured secret #" + index + " in a node's log");
			}
		}
		return left;
	}

	public Connection connect() throws SQLException {
		return DriverManager.getConnection(this.database.jdbcUrl(), this.database.user(), this.database.password());
	}

	/** Every node's log, the killed ones' too. */
	public synchronized String logs() throws Exception {
		StringBuilder all = new StringBuilder();
		for (Path log : this.logs) {
			all.append(Files.readString(log));
		}
		return all.toString();
	}

	@Override
	public synchronized void close() throws Exception {
		for (ServiceProcess node : this.alive.values()) {
			node.close();
		}
		this.alive.clear();
		// kept for the reader of a failed run: the test's own folder is deleted
		Path kept = Path.of("target", "node-logs", this.dir.getFileName().toString());
		Files.createDirectories(kept);
		for (Path log : this.logs) {
			Files.copy(log, kept.resolve(log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		}
	}

}
