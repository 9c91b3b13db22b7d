package au.edu.unimelb.reporting.ops.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Everything a backup and QA restore runs against, real and on loopback: a seeded Prod
 * database and an older QA database on the local PostgreSQL, a throwaway GnuPG key in its
 * own GnuPG home, and a real sshd standing in for the QA app server, whose "migrations"
 * record that they ran and how many orders QA held then.
 */
public final class LoopbackBackupEnvironment implements AutoCloseable {

	public static final String ZONE = "Australia/Melbourne";

	/**
	 * Unique to this test run: the secret scans watch every process on the machine, and
	 * another checkout's tests running at the same time must not show up as our leak.
	 */
	private static final String RUN = java.util.UUID.randomUUID().toString().substring(0, 8);

	public static final String GPG_PASSPHRASE = "gpg-pass-it-" + RUN;

	public static final String CLOUD_PASSWORD = "cloud-pass-it-" + RUN;

	public static final String ADMIN_PASSWORD = "admin-pass-it-" + RUN;

	private static final String PG_PASSWORD = pgPassword();

	private final Path dir;

	private final TestPostgres prod;

	private final TestPostgres qa;

	private final LoopbackSshd sshd;

	private final String fingerprint;

	private LoopbackBackupEnvironment(Path dir, TestPostgres prod, TestPostgres qa, LoopbackSshd sshd,
			String fingerprint) {
		this.dir = dir;
		this.prod = prod;
		this.qa = qa;
		this.sshd = sshd;
		this.fingerprint = fingerprint;
	}

	/**
	 * Creates the databases, the key and the sshd.
	 * @param dir a fresh directory
	 */
	public static LoopbackBackupEnvironment create(Path dir) throws Exception {
		Files.createDirectories(dir);
		TestPostgres prod = TestPostgres.createDatabase("prod");
		TestPostgres qa = TestPostgres.createDatabase("qa");
		seedProd(prod);
		try (Connection connection = qa.connect(); Statement sql = connection.createStatement()) {
			sql.execute("CREATE TABLE qa_only_before_restore (id int); INSERT INTO qa_only_before_restore VALUES (1)");
		}
		String fingerprint = makeKey(dir.resolve("gnupg"));
		writeMigrateScript(dir, qa.name());
		LoopbackSshd sshd = LoopbackSshd.start(dir.resolve("sshd"),
				Map.of("PGPASSWORD", PG_PASSWORD.isEmpty() ? "unused" : PG_PASSWORD));
		return new LoopbackBackupEnvironment(dir, prod, qa, sshd, fingerprint);
	}

	private static void seedProd(TestPostgres prod) throws SQLException {
		try (Connection connection = prod.connect(); Statement sql = connection.createStatement()) {
			sql.execute("CREATE TABLE customers (id serial PRIMARY KEY, name text NOT NULL, note text)");
			sql.execute("INSERT INTO customers (name, note) SELECT 'customer ' || i, repeat(md5(random()::text), 8) "
					+ "FROM generate_series(1, 3000) i");
			sql.execute("CREATE SCHEMA sales");
			sql.execute(
					"CREATE TABLE sales.orders (id bigserial PRIMARY KEY, customer_id int REFERENCES customers (id), "
							+ "amount numeric(10, 2), placed_at timestamptz, memo text)");
			sql.execute("INSERT INTO sales.orders (customer_id, amount, placed_at, memo) "
					+ "SELECT 1 + (i % 3000), (i % 997) / 10.0, now() - i * interval '1 minute', "
					+ "repeat(md5(i::text || random()::text), 12) FROM generate_series(1, 20000) i");
			sql.execute("CREATE FUNCTION amount_ok(numeric) RETURNS boolean LANGUAGE sql IMMUTABLE AS "
					+ "'SELECT $1 >= 0'");
			sql.execute("CREATE TABLE payments (id int PRIMARY KEY, amount numeric CHECK (amount_ok(amount)))");
			sql.execute("INSERT INTO payments SELECT i, i FROM generate_series(1, 500) i");
			sql.execute("CREATE TABLE audit_empty (id int)");
		}
	}

	/**
	 * Makes a restore of Prod's dump fail halfway: the check of {@code payments} now
	 * rejects the rows it holds, so {@code pg_restore} stops at that table's data.
	 * @param broken whether to break it or mend it
	 */
	public void breakPaymentsCheck(boolean broken) throws SQLException {
		try (Connection connection = this.prod.connect(); Statement sql = connection.createStatement()) {
			sql.execute("CREATE OR REPLACE FUNCTION amount_ok(numeric) RETURNS boolean LANGUAGE sql IMMUTABLE AS "
					+ (broken ? "'SELECT $1 < 0'" : "'SELECT $1 >= 0'"));
		}
	}

	/**
	 * Makes a throwaway GnuPG key (ed25519/cv25519, passphrase {@link #GPG_PASSPHRASE})
	 * in a GnuPG home of its own.
	 * @return its fingerprint
	 */
	public static String makeKey(Path home) throws Exception {
		Files.createDirectories(home);
		Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
		Path params = home.resolve("key-params");
		Files.writeString(params,
				String.join("\n", "Key-Type: EDDSA", "Key-Curve: ed25519", "Subkey-Type: ECDH", "Subkey-Curve: cv25519",
						"Name-Real: Reporting backup (test)", "Name-Email: backup-test@invalid", "Expire-Date: 0",
						"Passphrase: " + GPG_PASSPHRASE, "%commit", ""));
		run(Map.of("GNUPGHOME", home.toString()), "gpg", "--batch", "--pinentry-mode", "loopback", "--gen-key",
				params.toString());
		Files.delete(params);
		String listing = run(Map.of("GNUPGHOME", home.toString()), "gpg", "--batch", "--list-keys", "--with-colons");
		return listing.lines()
			.filter((line) -> line.startsWith("fpr:"))
			.findFirst()
			.map((line) -> line.split(":")[9])
			.orElseThrow(() -> new IllegalStateException("gpg made no key: " + listing));
	}

	private static void writeMigrateScript(Path dir, String qaName) throws IOException {
		Path script = dir.resolve("migrate.sh");
		String user = System.getenv().getOrDefault("OPS_TEST_PG_USER", "postgres");
		Files.writeString(script, String.join("\n", "#!/bin/sh",
				"# Stands in for the QA app's 'manage.py migrate': records that it ran, and what QA held then.",
				"if [ -e " + dir.resolve("migrations-fail") + " ]; then echo 'migration 0042 failed' >&2; exit 1; fi",
				"n=$(psql -h 127.0.0.1 -U " + user + " -d " + qaName
						+ " -tAc 'SELECT count(*) FROM sales.orders') || exit 2",
				"echo \"migrated orders=$n\" >> " + dir.resolve("migrate.log"), ""));
		Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
	}

	/** Makes the stand-in migrations fail, or work again. */
	public void failMigrations(boolean fail) throws IOException {
		Path flag = this.dir.resolve("migrations-fail");
		if (fail) {
			Files.writeString(flag, "");
		}
		else {
			Files.deleteIfExists(flag);
		}
	}

	/** What the stand-in migrations recorded, one line per run. */
	public List<String> migrations() throws IOException {
		Path log = this.dir.resolve("migrate.log");
		return Files.exists(log) ? Files.readAllLines(log) : List.of();
	}

	/**
	 * The service's settings for this environment.
	 * @param targetUrlPrefix {@code file://...} or {@code swift://...}
	 * @param swift the test bed's Swift account (for a {@code swift://} target), or
	 * {@code null}
	 */
	public Map<String, String> settings(String targetUrlPrefix, TestBed swift) {
		Map<String, String> settings = new LinkedHashMap<>();
		settings.put("ops.data-dir", this.dir.resolve("data").toString());
		settings.put("ops.time-zone", ZONE);
		settings.put("ops.security.admin-password", ADMIN_PASSWORD);
		environment(settings, "qa", this.qa.name());
		environment(settings, "prod", this.prod.name());
		settings.put("ops.backup.enabled", "true");
		settings.put("ops.backup.target-url-prefix", targetUrlPrefix);
		settings.put("ops.backup.gpg-key-id", this.fingerprint);
		settings.put("ops.backup.gpg-passphrase", GPG_PASSPHRASE);
		settings.put("ops.backup.gnupg-home", this.dir.resolve("gnupg").toString());
		LocalDate today = LocalDate.now(ZoneId.of(ZONE));
		// Tonight uploads to every tier: the weekly day is today, and so is the monthly
		// one when today has a number every month has.
		settings.put("ops.backup.weekly-on", today.getDayOfWeek().name().toLowerCase());
		settings.put("ops.backup.monthly-on", Integer.toString(Math.min(today.getDayOfMonth(), 28)));
		settings.put("ops.backup.command-timeout", "PT45S");
		settings.put("ops.backup.retry-cycle", "R1/PT1S");
		settings.put("ops.backup.transfer-retry-delay", "PT1S");
		settings.put("camunda.bpm.job-execution.lock-time-in-millis", "60000");
		if (swift != null) {
			settings.put("ops.backup.swift.auth-url", swift.get("SWIFT_AUTHURL"));
			settings.put("ops.backup.swift.auth-version", swift.get("SWIFT_AUTHVERSION"));
			settings.put("ops.backup.swift.user", swift.get("SWIFT_USERNAME"));
			settings.put("ops.backup.swift.key", swift.get("SWIFT_PASSWORD"));
		}
		settings.put("ops.qa-restore.host", "127.0.0.1");
		settings.put("ops.qa-restore.port", Integer.toString(this.sshd.port()));
		settings.put("ops.qa-restore.user", "root");
		settings.put("ops.qa-restore.private-key-path", this.sshd.clientKey().toString());
		settings.put("ops.qa-restore.known-hosts-path", this.sshd.knownHosts().toString());
		settings.put("ops.qa-restore.migrate-command[0]", this.dir.resolve("migrate.sh").toString());
		settings.put("ops.qa-restore.timeout-seconds", "30");
		return settings;
	}

	private void environment(Map<String, String> settings, String name, String database) {
		String prefix = "ops.environments." + name + ".";
		settings.put(prefix + "cloud.auth-url", "http://127.0.0.1:5000/v3");
		settings.put(prefix + "cloud.project-name", "reporting");
		settings.put(prefix + "cloud.user-name", "reporting-ops");
		settings.put(prefix + "cloud.password", CLOUD_PASSWORD);
		// not used by backups; short, so that the short job lock of these tests is
		// allowed
		settings.put(prefix + "cloud.request-timeout-seconds", "10");
		settings.put(prefix + "web-front.timeout-seconds", "10");
		settings.put(prefix + "app-server.timeout-seconds", "10");
		settings.put(prefix + "stack.prefix", "reporting_" + name);
		settings.put(prefix + "web-front.host", "127.0.0.1");
		settings.put(prefix + "web-front.user", "root");
		settings.put(prefix + "web-front.private-key-path", this.sshd.clientKey().toString());
		settings.put(prefix + "web-front.known-hosts-path", this.sshd.knownHosts().toString());
		settings.put(prefix + "web-front.public-url", "http://127.0.0.1:9/");
		settings.put(prefix + "database.host", "127.0.0.1");
		settings.put(prefix + "database.port", "5432");
		settings.put(prefix + "database.name", database);
		settings.put(prefix + "database.user", System.getenv().getOrDefault("OPS_TEST_PG_USER", "postgres"));
		settings.put(prefix + "database.password", PG_PASSWORD.isEmpty() ? "unused-pg-pass" : PG_PASSWORD);
	}

	/** The values that must never show up in argv, logs or the engine's tables. */
	public List<String> secrets() {
		List<String> secrets = new ArrayList<>(List.of(GPG_PASSPHRASE, CLOUD_PASSWORD, ADMIN_PASSWORD));
		if (!PG_PASSWORD.isEmpty()) {
			secrets.add(PG_PASSWORD);
		}
		return secrets;
	}

	public TestPostgres prod() {
		return this.prod;
	}

	public TestPostgres qa() {
		return this.qa;
	}

	public Path dir() {
		return this.dir;
	}

	public String fingerprint() {
		return this.fingerprint;
	}

	public Path gnupgHome() {
		return this.dir.resolve("gnupg");
	}

	/** Row counts of every table of a database, {@code schema.table -> rows}. */
	public static Map<String, Long> rowCounts(String database) throws SQLException {
		Map<String, Long> counts = new TreeMap<>();
		try (Connection connection = TestPostgres.existing(database).connect()) {
			List<String> tables = new ArrayList<>();
			try (Statement sql = connection.createStatement();
					ResultSet rs = sql.executeQuery("SELECT schemaname || '.' || tablename FROM pg_tables "
							+ "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")) {
				while (rs.next()) {
					tables.add(rs.getString(1));
				}
			}
			for (String table : tables) {
				try (Statement sql = connection.createStatement();
						ResultSet rs = sql.executeQuery("SELECT count(*) FROM " + table)) {
					rs.next();
					counts.put(table, rs.getLong(1));
				}
			}
		}
		return counts;
	}

	/** Runs a program to its end; its output, or an exception naming it. */
	public static String run(Map<String, String> environment, String... argv) throws Exception {
		ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
		builder.environment().putAll(environment);
		Process process = builder.start();
		process.getOutputStream().close();
		String output = new String(process.getInputStream().readAllBytes());
		if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
			throw new IllegalStateException(String.join(" ", argv) + " failed: " + output);
		}
		return output;
	}

	private static String pgPassword() {
		String password = System.getenv("OPS_TEST_PG_PASSWORD");
		return (password == null) ? "" : password;
	}

	@Override
	public void close() throws Exception {
		try {
			this.sshd.close();
		}
		finally {
			for (String name : TestPostgres.databasesStartingWith(this.qa.name())) {
				TestPostgres.existing(name).drop();
			}
			this.prod.drop();
		}
	}

}
