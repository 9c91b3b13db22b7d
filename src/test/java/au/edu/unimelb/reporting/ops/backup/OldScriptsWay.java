package au.edu.unimelb.reporting.ops.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import au.edu.unimelb.reporting.ops.support.LoopbackBackupEnvironment;
import au.edu.unimelb.reporting.ops.support.TestPostgres;

/**
 * The old bash scripts' way of the night and of the QA copy, for the benchmark to measure
 * beside the service in the same run: {@code pg_dump -Fc} at its default level,
 * {@code duplicity full} with GnuPG's defaults (its compression on) to each tier in turn,
 * {@code duplicity restore}, {@code createdb}, one {@code pg_restore}, {@code dropdb}
 * (with {@code --force}: the benchmark's own client is connected to QA now and then),
 * rename. Argv only; the database password and the passphrase go through the environment
 * ({@code PGPASSWORD}, {@code PASSPHRASE}), as the scripts passed them. It works in a
 * copy of the GnuPG home, so that the agent gpg starts for it (the scripts' way) is not
 * the service's; {@link #close()} stops that agent.
 */
final class OldScriptsWay implements AutoCloseable {

	private static final long TIMEOUT_MINUTES = 60;

	private final LoopbackBackupEnvironment env;

	private final Path dir;

	private final Path gnupgHome;

	OldScriptsWay(LoopbackBackupEnvironment env, Path dir) throws IOException {
		this.env = env;
		this.dir = dir;
		this.gnupgHome = dir.resolve("gnupg");
		Files.createDirectories(dir.resolve("dump"));
		copyTree(env.gnupgHome(), this.gnupgHome);
	}

	/** {@code pg_dump -Fc} of Prod into {@code dump/dump.custom}. */
	double dump() throws Exception {
		return timed(pg("pg_dump", "-Fc", "--file=" + this.dir.resolve("dump/dump.custom"),
				"--dbname=" + this.env.prod().name()));
	}

	/** {@code duplicity full} of the dump folder to {@code file://.../old-TIER}. */
	double upload(String tier) throws Exception {
		return timed(duplicity("full", "--volsize", "250", "--encrypt-key", this.env.fingerprint(),
				this.dir.resolve("dump").toString(), target(tier)));
	}

	/** {@code duplicity restore} of the daily tier into a new folder. */
	double fetch() throws Exception {
		return timed(duplicity("restore", target("daily"), this.dir.resolve("restored").toString()));
	}

	double createdb(String name) throws Exception {
		return timed(pg("createdb", name));
	}

	/** One {@code pg_restore} (no parallel jobs) of the fetched dump. */
	double restore(String into) throws Exception {
		return timed(pg("pg_restore", "--dbname=" + into, "--no-owner", "--no-privileges", "--exit-on-error",
				this.dir.resolve("restored/dump.custom").toString()));
	}

	/** {@code dropdb} of QA, then the copy renamed to QA's name. */
	double swap(String qa, String copy) throws Exception {
		return timed(pg("dropdb", "--force", qa), pg("psql", "--dbname=postgres", "--no-psqlrc",
				"--set=ON_ERROR_STOP=1", "--command=ALTER DATABASE \"" + copy + "\" RENAME TO \"" + qa + "\""));
	}

	private String target(String tier) {
		return "file://" + this.dir.resolve("old-" + tier);
	}

	private ProcessBuilder pg(String program, String... arguments) {
		List<String> argv = new ArrayList<>(List.of(program, "--host=127.0.0.1", "--port=5432",
				"--username=" + TestPostgres.existing("x").user(), "--no-password"));
		argv.addAll(List.of(arguments));
		ProcessBuilder builder = new ProcessBuilder(argv);
		builder.environment().clear();
		builder.environment().put("PATH", System.getenv("PATH"));
		builder.environment().put("PGPASSWORD", TestPostgres.existing("x").password());
		return builder;
	}

	private ProcessBuilder duplicity(String action, String... arguments) {
		List<String> argv = new ArrayList<>(List.of("duplicity", action, "--archive-dir",
				this.dir.resolve("cache").toString(), "--name", "old", "--num-retries", "3"));
		argv.addAll(List.of(arguments));
		ProcessBuilder builder = new ProcessBuilder(argv);
		builder.environment().clear();
		builder.environment().put("PATH", System.getenv("PATH"));
		builder.environment().put("HOME", this.dir.toString());
		builder.environment().put("GNUPGHOME", this.gnupgHome.toString());
		builder.environment().put("PASSPHRASE", LoopbackBackupEnvironment.GPG_PASSPHRASE);
		return builder;
	}

	private double timed(ProcessBuilder... steps) throws Exception {
		long started = System.nanoTime();
		for (ProcessBuilder step : steps) {
			Path output = Files.createTempFile(this.dir, "out", ".log");
			Process process = step.redirectErrorStream(true).redirectOutput(output.toFile()).start();
			process.getOutputStream().close();
			if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
				process.destroyForcibly();
				throw new IllegalStateException(step.command().get(0) + " timed out");
			}
			if (process.exitValue() != 0) {
				throw new IllegalStateException(
						step.command().get(0) + " " + step.command().get(1) + " failed: " + Files.readString(output));
			}
		}
		return (System.nanoTime() - started) / 1e9;
	}

	@Override
	public void close() throws Exception {
		LoopbackBackupEnvironment.run(Map.of("GNUPGHOME", this.gnupgHome.toString()), "gpgconf", "--kill", "gpg-agent");
	}

	private static void copyTree(Path from, Path to) throws IOException {
		try (Stream<Path> paths = Files.walk(from)) {
			for (Path path : paths.toList()) {
				Path copy = to.resolve(from.relativize(path).toString());
				if (Files.isDirectory(path)) {
					Files.createDirectories(copy);
				}
				else if (Files.isRegularFile(path)) {
					Files.copy(path, copy);
				}
			}
		}
		Files.setPosixFilePermissions(to, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
	}

}
