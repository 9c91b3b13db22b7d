package au.edu.unimelb.reporting.ops.backup;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import au.edu.unimelb.reporting.ops.support.LoopbackBackupEnvironment;
import au.edu.unimelb.reporting.ops.support.OwnThreads;
import au.edu.unimelb.reporting.ops.support.PollingWatch;
import au.edu.unimelb.reporting.ops.support.ProcessArgvWatch;
import au.edu.unimelb.reporting.ops.support.ServiceClient;
import au.edu.unimelb.reporting.ops.support.ServiceNodes;
import au.edu.unimelb.reporting.ops.support.TestPostgres;
import au.edu.unimelb.reporting.ops.support.ThreadDumpOnTimeout;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of the node running a night's work (Prod: the sample and a table of a million
 * rows), at each of: pg_dump (really running, waiting for a table lock the test holds),
 * the night's one encryption (duplicity), the start of the daily tier's retention; and in
 * the QA restore that follows: pg_restore, and the swap (inside its transaction, after QA
 * was renamed away and while the temporary database waits to take its name). In one
 * variant the same node is started again after each kill; in the other, two nodes run,
 * the night is started by the nightly timer (which fires on exactly one of them), a
 * pg_dump that runs longer than the job lock is started exactly once, and the other node
 * carries on after each kill (a replacement comes up in the background for the next one).
 *
 * <p>
 * Then: exactly one set per tier and nothing else in the tiers' folders, QA the restored
 * copy (and never missing, read every 10 ms throughout), no temporary or retired database
 * left, no lock held, no incident, no program outliving its node, and no secret in any
 * node's log, the engine's tables or any argv.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 12, unit = TimeUnit.MINUTES)
@ExtendWith(ThreadDumpOnTimeout.class)
class BackupCrashIT {

	static final Duration LOCK = Duration.ofSeconds(12);

	final List<String> timings = new CopyOnWriteArrayList<>();

	CompletableFuture<?> replacement = CompletableFuture.completedFuture(null);

	int nodesStarted;

	@AfterAll
	void printTimings() {
		this.timings.forEach(System.out::println);
	}

	@Test
	void theSameNodeStartedAgainAfterEachKillFinishesTheNightAndTheRestore(@TempDir Path dir) throws Exception {
		nightWithKills(dir, true);
	}

	@Test
	void theOtherNodeFinishesTheNightAndTheRestoreAfterEachKill(@TempDir Path dir) throws Exception {
		nightWithKills(dir, false);
	}

	private void nightWithKills(Path dir, boolean sameNode) throws Exception {
		String variant = sameNode ? "same node restarted" : "other node";
		TestPostgres engine = TestPostgres.createDatabase("crash");
		try (LoopbackBackupEnvironment env = LoopbackBackupEnvironment.create(dir.resolve("env"))) {
			// a table of a million rows with its key: pg_restore then runs for seconds,
			// not the tenth of a second the sample alone takes (with issue 16's restore
			// settings), which the watch for it missed now and then
			try (Connection prod = env.prod().connect(); Statement sql = prod.createStatement()) {
				sql.execute("CREATE TABLE bulk AS SELECT i AS id, md5(i::text) AS digest "
						+ "FROM generate_series(1, 1000000) i");
				sql.execute("ALTER TABLE bulk ADD PRIMARY KEY (id)");
			}
			Path target = dir.resolve("target");
			Files.createDirectories(target);
			Map<String, String> settings = env.settings("file://" + target.resolve("reporting"), null);
			settings.put("spring.datasource.url", engine.jdbcUrl());
			settings.put("spring.datasource.username", engine.user());
			settings.put("spring.datasource.password", engine.password());
			// local programs may outlive the lock (it is renewed); calls to other
			// machines may not
			settings.put("ops.backup.command-timeout", "PT2M");
			settings.put("ops.qa-restore.timeout-seconds", "5");
			for (String environment : List.of("qa", "prod")) {
				settings.put("ops.environments." + environment + ".cloud.request-timeout-seconds", "5");
				settings.put("ops.environments." + environment + ".web-front.timeout-seconds", "5");
				settings.put("ops.environments." + environment + ".app-server.timeout-seconds", "5");
			}
			settings.put("ops.deploy.probe-timeout", "2s");
			settings.put("camunda.bpm.job-execution.lock-time-in-millis", Long.toString(LOCK.toMillis()));
			ZonedDateTime fireAt = ZonedDateTime.now(ZoneId.of(LoopbackBackupEnvironment.ZONE))
				// two cold nodes start one after the other first, beside another test
				// class
				.plusSeconds(60)
				.withNano(0);
			if (!sameNode) {
				// the night starts from the nightly timer: once an hour, next in 60 s
				settings.put("ops.backup.cron", fireAt.getSecond() + " " + fireAt.getMinute() + " * * * *");
			}
			String qa = env.qa().name();
			try (ServiceNodes nodes = new ServiceNodes(dir, settings, engine);
					ProcessArgvWatch argv = new ProcessArgvWatch(env.secrets());
					Connection maintenance = TestPostgres.existing("postgres").connect();
					PollingWatch qaWatch = qaWatch(maintenance, qa);
					Connection tableLock = env.prod().connect()) {
				// pg_dump will wait for this lock: it really runs while the node is
				// killed
				tableLock.setAutoCommit(false);
				try (Statement sql = tableLock.createStatement()) {
					sql.execute("LOCK TABLE customers IN ACCESS EXCLUSIVE MODE");
				}
				String backup;
				if (sameNode) {
					nodes.start("node-1");
					backup = start(nodes, "nightly-backup");
				}
				else {
					// both at once on the empty database: they start one after the other
					CompletableFuture<?> second = nodes.startLater("node-2");
					nodes.start("node-1");
					second.get();
					this.nodesStarted = 2;
					assertThat(ZonedDateTime.now(fireAt.getZone())).as("both nodes up before the timer fires")
						.isBefore(fireAt);
					backup = awaitTimerStart(nodes, fireAt);
				}

				ProcessHandle dump = awaitProgram(nodes, "pg_dump", "--snapshot");
				if (!sameNode) {
					// the dump now outlives the job lock by far: its lock is renewed, so
					// the other node never starts it a second time
					Set<Long> dumps = watchPrograms(nodes, LOCK.multipliedBy(2), "pg_dump", "--snapshot");
					assertThat(dumps).as("pg_dump processes during %s s", LOCK.multipliedBy(2).toSeconds())
						.containsExactly(dump.pid());
					assertThat(dump.isAlive()).isTrue();
				}
				kill(nodes, nodes.parentOf(dump).orElseThrow(), backup, "nightly-backup during pg_dump", sameNode);
				awaitProgram(nodes, "pg_dump", "--snapshot");
				this.replacement.get();
				tableLock.rollback();

				// the night's one encryption (the tiers then copy its set)
				ProcessHandle encryption = awaitProgram(nodes, "duplicity", "full", "staged");
				kill(nodes, nodes.parentOf(encryption).orElseThrow(), backup, "nightly-backup during the encryption",
						sameNode);

				awaitProgram(nodes, "duplicity", "verify", "reporting-daily");
				ProcessHandle retention = awaitProgram(nodes, "duplicity", "collection-status", "reporting-daily");
				kill(nodes, nodes.parentOf(retention).orElseThrow(), backup, "nightly-backup before retention",
						sameNode);

				// pg_restore runs for a few seconds, a few seconds after the night
				// ends: watch for it from now on and kill its node
				// the moment it shows (waiting for the night's record and the restore's
				// id
				// first can miss it on two loaded cores)
				// (a thread of its own: the common pool has one thread on two cores, and
				// a
				// replacement node's start holds it for seconds)
				CompletableFuture<KilledNode> duringPgRestore = new CompletableFuture<>();
				Thread watcher = new Thread(() -> {
					try {
						duringPgRestore.complete(killWhenRunning(nodes, qa, "pg_restore", "--dbname="));
					}
					catch (Throwable ex) {
						duringPgRestore.completeExceptionally(ex);
					}
				}, "pg_restore-watch");
				watcher.setDaemon(true);
				watcher.start();
				String run = awaitBody(nodes, "/api/backups/" + backup, "\"endedAt\":\"", Duration.ofMinutes(3));
				assertThat(run).as("%s: the night", variant).contains("\"outcome\":\"BACKED_UP\"");
				String restore = awaitRestoreId(nodes, backup);
				KilledNode killed = duringPgRestore.get(3, TimeUnit.MINUTES);
				String temp = killed.temp();
				resume(nodes, killed.victim(), restore, "qa-restore during pg_restore", sameNode, killed.at());

				// A session on the temporary database holds its rename back (PostgreSQL
				// waits up to 5 s for it): the node is killed inside the swap's
				// transaction. The repeated restore drops and makes the database again
				// (ending any session on it), so the session is opened again until the
				// swap waits for it, whenever the swap comes.
				AtomicBoolean holding = new AtomicBoolean(true);
				AtomicReference<Statement> sleep = new AtomicReference<>();
				CompletableFuture<?> holder = CompletableFuture.runAsync(() -> {
					while (holding.get()) {
						try (Connection onTemp = TestPostgres.existing(temp).connect();
								Statement sql = onTemp.createStatement()) {
							sleep.set(sql);
							sql.execute("SELECT pg_sleep(60)");
						}
						catch (Exception endedOrNotThereYet) {
							LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
						}
					}
				}, OwnThreads.EACH);
				awaitFinished(nodes, restore, "Task_RestoreIntoTemp");
				awaitRenameWaiting(nodes, temp);
				String swapping = nodes.workingOn(restore).orElseThrow();
				// the session leaves at once: closing the connection alone leaves its
				// server process in pg_sleep on the database for the rest of the minute,
				// where the swap's next try finds it
				kill(nodes, swapping, restore, "qa-restore during the swap", sameNode, () -> {
					holding.set(false);
					sleep.get().cancel();
				});
				holder.get();

				String restored = awaitBody(nodes, "/api/backups/" + restore, "\"endedAt\":\"", Duration.ofMinutes(2));
				assertThat(restored).as("%s: the restore", variant).contains("\"outcome\":\"RESTORED\"");
				this.replacement.get();
				assertThat(qaWatch.problems()).as("%s: moments QA was missing", variant).isEmpty();
				assertThat(qaWatch.reads()).isGreaterThan(100);
				assertNothingLeft(nodes, env, target, variant);
				assertThat(argv.leaks()).as("argv holding a secret").isEmpty();
			}
		}
		finally {
			this.replacement.get();
			engine.drop();
		}
	}

	private void kill(ServiceNodes nodes, String victim, String instance, String point, boolean sameNode)
			throws Exception {
		kill(nodes, victim, instance, point, sameNode, () -> {
		});
	}

	/**
	 * kill -9 of the node; then it is started again, or the other node goes on (and a
	 * replacement starts in the background); the time until the instance's work is taken
	 * up again is noted.
	 * @param afterKill what the test does right after the kill (release what held the
	 * step)
	 */
	private void kill(ServiceNodes nodes, String victim, String instance, String point, boolean sameNode,
			AutoCloseable afterKill) throws Exception {
		// the other variant: the replacement of the node killed before is up, so that
		// two nodes run at each kill
		this.replacement.get();
		Instant killedAt = Instant.now();
		nodes.kill(victim);
		afterKill.close();
		resume(nodes, victim, instance, point, sameNode, killedAt);
	}

	/** What a watcher killed, and when. */
	record KilledNode(String victim, String temp, Instant at) {
	}

	/**
	 * Kills the node that runs a program with these words as soon as it shows (a program
	 * too short to be awaited first and killed after); notes the restore's temporary
	 * database, which pg_restore writes into. The replacement of a node killed before may
	 * still be starting: the run resumes on whichever node takes it.
	 */
	private static KilledNode killWhenRunning(ServiceNodes nodes, String qa, String... words) {
		ProcessHandle program = awaitProgram(nodes, words);
		String victim = nodes.parentOf(program).orElseThrow();
		Instant at = Instant.now();
		try {
			nodes.kill(victim);
		}
		catch (Exception ex) {
			throw new IllegalStateException("kill -9 of " + victim + " failed", ex);
		}
		String temp = TestPostgres.databasesStartingWith(qa)
			.stream()
			.filter((name) -> name.contains("_restore_"))
			.findFirst()
			.orElseThrow();
		return new KilledNode(victim, temp, at);
	}

	/**
	 * After kill -9 of the node: it is started again, or the other node goes on (and a
	 * replacement starts in the background); the time until the instance's work is taken
	 * up again is noted.
	 */
	private void resume(ServiceNodes nodes, String victim, String instance, String point, boolean sameNode,
			Instant killedAt) throws Exception {
		Duration resumed;
		if (sameNode) {
			nodes.start(victim);
			resumed = nodes.awaitResumed(instance, killedAt, LOCK.multipliedBy(4));
		}
		else {
			this.replacement = nodes.startLater("node-" + (++this.nodesStarted));
			resumed = nodes.awaitResumed(instance, killedAt, LOCK.multipliedBy(4));
		}
		this.timings.add(String.format("kill -9 to resumption: %s, %s: %.1f s (job lock %d s)", point,
				sameNode ? "same node restarted" : "other node", resumed.toMillis() / 1000.0, LOCK.toSeconds()));
	}

	/**
	 * The nightly timer fired once, on one node, and started exactly one night.
	 * @return that night's process instance
	 */
	private String awaitTimerStart(ServiceNodes nodes, ZonedDateTime fireAt) throws Exception {
		Awaitility.await("the nightly timer")
			.atMost(Duration.ofSeconds(80))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> countNights(nodes) > 0);
		// and no second one, on the other node, for a while
		Awaitility.await("one night only, started by the timer")
			.during(Duration.ofSeconds(3))
			.atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(100))
			.untilAsserted(() -> assertThat(countNights(nodes)).as("nights started by the timer").isEqualTo(1));
		try (Connection connection = nodes.connect();
				Statement sql = connection.createStatement();
				ResultSet fired = sql.executeQuery("SELECT HOSTNAME_ FROM ACT_HI_JOB_LOG WHERE PROCESS_DEF_KEY_ = "
						+ "'nightly-backup' AND JOB_DEF_TYPE_ = 'timer-start-event' AND JOB_STATE_ = 2")) {
			List<String> hosts = new ArrayList<>();
			while (fired.next()) {
				hosts.add(fired.getString(1));
			}
			assertThat(hosts).as("successful executions of the nightly timer").hasSize(1);
			this.timings.add("The nightly timer due at " + fireAt.toLocalTime() + " fired once, on " + hosts.get(0)
					+ " (of " + nodes.names() + ")");
		}
		try (Connection connection = nodes.connect();
				Statement sql = connection.createStatement();
				ResultSet night = sql.executeQuery(
						"SELECT ID_ FROM ACT_HI_PROCINST WHERE PROC_DEF_KEY_ = 'nightly-backup' ORDER BY START_TIME_")) {
			night.next();
			return night.getString(1);
		}
	}

	private static long countNights(ServiceNodes nodes) throws Exception {
		try (Connection connection = nodes.connect();
				Statement sql = connection.createStatement();
				ResultSet count = sql
					.executeQuery("SELECT COUNT(*) FROM ACT_HI_PROCINST WHERE PROC_DEF_KEY_ = 'nightly-backup'")) {
			count.next();
			return count.getLong(1);
		}
	}

	private static String start(ServiceNodes nodes, String key) {
		HttpResponse<String> started = nodes.any()
			.client()
			.postJson("/engine-rest/process-definition/key/" + key + "/start", "{}", "admin",
					LoopbackBackupEnvironment.ADMIN_PASSWORD);
		assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
		return ServiceClient.idOf(started);
	}

	private static String awaitBody(ServiceNodes nodes, String path, String marker, Duration limit) {
		return Awaitility.await(path + " showing " + marker)
			.atMost(limit)
			.pollInterval(Duration.ofMillis(300))
			// asked a node that was just killed: ask again
			.ignoreExceptionsInstanceOf(RuntimeException.class)
			.until(() -> nodes.any().client().get(path, "admin", LoopbackBackupEnvironment.ADMIN_PASSWORD).body(),
					(body) -> body.contains(marker));
	}

	private static String awaitRestoreId(ServiceNodes nodes, String backup) {
		return Awaitility.await("the qa-restore of " + backup)
			.atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> {
				try (Connection connection = nodes.connect();
						PreparedStatement query = connection
							.prepareStatement("SELECT PROC_INST_ID_ FROM ACT_HI_VARINST "
									+ "WHERE NAME_ = 'backupRun' AND TEXT_ = ? AND PROC_DEF_KEY_ = 'qa-restore'")) {
					query.setString(1, backup);
					try (ResultSet rows = query.executeQuery()) {
						return rows.next() ? rows.getString(1) : null;
					}
				}
			}, Objects::nonNull);
	}

	private static void awaitFinished(ServiceNodes nodes, String instance, String activity) throws Exception {
		Awaitility.await(activity + " of " + instance)
			.atMost(Duration.ofMinutes(2))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> {
				try (Connection connection = nodes.connect();
						PreparedStatement query = connection.prepareStatement("SELECT COUNT(*) FROM ACT_HI_ACTINST "
								+ "WHERE PROC_INST_ID_ = ? AND ACT_ID_ = ? AND END_TIME_ IS NOT NULL")) {
					query.setString(1, instance);
					query.setString(2, activity);
					try (ResultSet rows = query.executeQuery()) {
						rows.next();
						return rows.getLong(1) > 0;
					}
				}
			});
	}

	/**
	 * The swap's second rename waits for the test's session on the temporary database.
	 */
	private static void awaitRenameWaiting(ServiceNodes nodes, String temp) throws Exception {
		// the other node first waits out the dead node's job lock, then restores again:
		// on two loaded cores that takes longer than the restore itself
		Awaitility.await("the swap's rename waiting")
			.atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> {
				try (Connection connection = TestPostgres.existing("postgres").connect();
						Statement sql = connection.createStatement();
						ResultSet rows = sql
							.executeQuery("SELECT COUNT(*) FROM pg_stat_activity WHERE state = 'active' "
									+ "AND query LIKE 'ALTER DATABASE %" + temp + "% RENAME TO%'")) {
					rows.next();
					return rows.getLong(1) > 0;
				}
			});
	}

	/** Waits for a program of a living node whose command line holds all the words. */
	private static ProcessHandle awaitProgram(ServiceNodes nodes, String... words) {
		return Awaitility.await("a program of a node with " + List.of(words))
			.atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(5))
			.until(() -> ProcessHandle.allProcesses()
				.filter((process) -> nodes.parentOf(process).isPresent())
				.filter((process) -> Stream.of(words).allMatch(process.info().commandLine().orElse("")::contains))
				.findFirst(), Optional::isPresent)
			.get();
	}

	/**
	 * The pids of the programs with these words that this test's nodes ran during a while
	 * (not another checkout's tests on the same machine).
	 */
	private static Set<Long> watchPrograms(ServiceNodes nodes, Duration during, String... words) throws Exception {
		Set<Long> seen = ConcurrentHashMap.newKeySet();
		Instant end = Instant.now().plus(during);
		while (Instant.now().isBefore(end)) {
			ProcessHandle.allProcesses()
				.filter((process) -> Stream.of(words).allMatch(process.info().commandLine().orElse("")::contains))
				.filter((process) -> nodes.parentOf(process).isPresent())
				.forEach((process) -> seen.add(process.pid()));
			Thread.sleep(50);
		}
		return seen;
	}

	private static void assertNothingLeft(ServiceNodes nodes, LoopbackBackupEnvironment env, Path target,
			String variant) throws Exception {
		for (String tier : List.of("daily", "weekly", "monthly")) {
			Path folder = target.resolve("reporting-" + tier);
			try (Stream<Path> files = Files.list(folder)) {
				List<String> names = files.map((path) -> path.getFileName().toString()).sorted().toList();
				List<String> manifests = names.stream().filter((name) -> name.endsWith(".manifest.gpg")).toList();
				assertThat(manifests).as("%s, %s: exactly one set", variant, tier).hasSize(1);
				String time = manifests.get(0).replaceAll("duplicity-full\\.(.*)\\.manifest\\.gpg", "$1");
				assertThat(names).as("%s, %s: nothing but that set", variant, tier)
					.allMatch((name) -> name.contains(time));
			}
		}
		String qa = env.qa().name();
		assertThat(LoopbackBackupEnvironment.rowCounts(qa)).as("%s: QA is Prod's copy", variant)
			.isEqualTo(LoopbackBackupEnvironment.rowCounts(env.prod().name()));
		assertThat(TestPostgres.databasesStartingWith(qa)).as("%s: no temporary or retired database left", variant)
			.containsExactly(qa);
		assertThat(nodes.leftovers(env.secrets())).as(variant).isEmpty();
	}

	/** Reads, every 10 ms, whether QA's database exists: wrong whenever it does not. */
	private static PollingWatch qaWatch(Connection connection, String qa) throws Exception {
		PreparedStatement exists = connection.prepareStatement("SELECT COUNT(*) FROM pg_database WHERE datname = ?");
		exists.setString(1, qa);
		return new PollingWatch("qa-watch", Duration.ofMillis(10), () -> {
			try (ResultSet rows = exists.executeQuery()) {
				rows.next();
				return (rows.getLong(1) == 1) ? null : qa + " does not exist";
			}
		});
	}

}
