package au.edu.unimelb.reporting.ops.postgres;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings.DatabaseSettings;
import au.edu.unimelb.reporting.ops.shell.Command;
import au.edu.unimelb.reporting.ops.shell.Program;

/**
 * Builds the PostgreSQL client programs' command lines (argv only; the password goes
 * through {@code PGPASSWORD}).
 */
public final class PostgresCommands {

	private final Duration timeout;

	public PostgresCommands(Duration timeout) {
		this.timeout = timeout;
	}

	/**
	 * {@code pg_dump --format=custom} at pg_dump's default compression level, optionally
	 * of an exported snapshot (so that row counts taken in the same snapshot match the
	 * dump exactly).
	 * @param snapshot the name of a snapshot exported by {@code pg_export_snapshot()}, or
	 * {@code null}
	 */
	public Command dump(DatabaseSettings database, Path file, String snapshot) {
		return dump(database, file, snapshot, -1);
	}

	/**
	 * {@code pg_dump --format=custom --compress=LEVEL}, as
	 * {@link #dump(DatabaseSettings, Path, String)}.
	 * @param compression 0 (none) to 9, or -1 for pg_dump's default
	 */
	public Command dump(DatabaseSettings database, Path file, String snapshot, int compression) {
		Command command = connect(Program.PG_DUMP, database)
			.withArguments(List.of("--format=custom", "--no-owner", "--no-privileges", "--file=" + file));
		if (compression >= 0) {
			command = command.withArguments(List.of("--compress=" + compression));
		}
		if (snapshot != null) {
			command = command.withArguments(List.of("--snapshot=" + snapshot));
		}
		return command.withArguments(List.of("--dbname=" + database.name()));
	}

	/**
	 * {@code pg_restore --list}: reads the dump's table of contents (proves it is
	 * readable).
	 */
	public Command list(Path file) {
		return Command.of(Program.PG_RESTORE, "--list", file.toString()).withTimeout(this.timeout);
	}

	/**
	 * {@code pg_restore} into an existing database, in parallel jobs, stopping at the
	 * first error.
	 */
	public Command restore(DatabaseSettings server, String intoDatabase, Path file, int jobs) {
		return connect(Program.PG_RESTORE, server).withArguments(List.of("--dbname=" + intoDatabase, "--jobs=" + jobs,
				"--no-owner", "--no-privileges", "--exit-on-error", file.toString()));
	}

	/**
	 * {@code pg_restore}, as {@link #restore(DatabaseSettings, String, Path, int)}, with
	 * settings of its own sessions ({@code PGOPTIONS}): indexes built with this much
	 * {@code maintenance_work_mem}, and commits that do not wait for the WAL flush
	 * ({@code synchronous_commit=off}: a copy cut off by a crash is restored again from
	 * the start anyway).
	 * @param maintenanceWorkMem a PostgreSQL size ({@code 512MB})
	 */
	public Command restore(DatabaseSettings server, String intoDatabase, Path file, int jobs,
			String maintenanceWorkMem) {
		if (!maintenanceWorkMem.matches("[0-9]+(kB|MB|GB)")) {
			throw new IllegalArgumentException("Not a PostgreSQL size: " + maintenanceWorkMem);
		}
		return restore(server, intoDatabase, file, jobs).withEnvironment("PGOPTIONS",
				"-c maintenance_work_mem=" + maintenanceWorkMem + " -c synchronous_commit=off");
	}

	private Command connect(Program program, DatabaseSettings database) {
		return Command
			.of(program, "--host=" + database.host(), "--port=" + database.port(), "--username=" + database.user(),
					"--no-password")
			.withSecretEnvironment("PGPASSWORD", database.password())
			.withTimeout(this.timeout);
	}

}
