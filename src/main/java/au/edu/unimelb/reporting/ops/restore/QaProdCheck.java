package au.edu.unimelb.reporting.ops.restore;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings.DatabaseSettings;
import au.edu.unimelb.reporting.ops.nightly.BackupSettings;
import au.edu.unimelb.reporting.ops.postgres.DatabaseException;
import au.edu.unimelb.reporting.ops.postgres.DatabaseIdentity;
import au.edu.unimelb.reporting.ops.postgres.PostgresDatabases;

import org.springframework.stereotype.Component;

/**
 * Whether QA's database settings reach the Prod database (safety rules 4 and 12), asked
 * of the servers, not read from how the settings spell them. Asked when a restore starts
 * and again before each step that touches a database.
 */
@Component
class QaProdCheck {

	private final BackupSettings backupSettings;

	QaProdCheck(BackupSettings backupSettings) {
		this.backupSettings = backupSettings;
	}

	/**
	 * Refuses when the QA settings reach the Prod database: spelled alike, or, asked of
	 * the servers, the same server or a standby or copy of it (system identifier) and the
	 * same database name. QA is identified where the restore works on it (the server's
	 * {@value PostgresDatabases#MAINTENANCE_DATABASE} database, where it creates, renames
	 * and drops databases by name); Prod where pg_dump reads it.
	 * @throws QaIsProdException when they are one database, or when a server's identity
	 * cannot be read (then it cannot be told, and nothing may go on)
	 */
	void requireQaIsNotProd(DatabaseSettings qa, DatabaseSettings prod) {
		if (Set.of(PostgresDatabases.MAINTENANCE_DATABASE, "template0", "template1").contains(qa.name())) {
			throw QaIsProdException.same("Refused: the QA database is configured as " + qa.name()
					+ ", one of the server's own databases. Nothing was touched; fix ops.environments.qa.database.");
		}
		if (qa.sameDatabaseAs(prod)) {
			throw QaIsProdException.same("Refused: the QA database " + describe(qa)
					+ " is the Prod database (same host, port and name). Nothing was touched; fix "
					+ "ops.environments.qa.database.");
		}
		PostgresDatabases databases = new PostgresDatabases(this.backupSettings.commandTimeout());
		DatabaseIdentity prodIdentity;
		List<DatabaseIdentity> qaIdentities = new ArrayList<>();
		try {
			prodIdentity = databases.identify(prod, prod.name());
			qaIdentities.add(databases.identify(qa, PostgresDatabases.MAINTENANCE_DATABASE).named(qa.name()));
			// Where QA exists, also as the server names the database the QA settings
			// reach (a pooler's alias may lead to another one). Not while a swap has it
			// closed to connections: then it is the database this service swaps, by name.
			if (databases.acceptsConnections(qa, qa.name())) {
				qaIdentities.add(databases.identify(qa, qa.name()));
			}
		}
		catch (DatabaseException ex) {
			throw QaIsProdException.undecided("Refused: cannot tell whether the QA database " + describe(qa)
					+ " is the Prod database " + describe(prod) + ": " + ex.getMessage()
					+ ". Nothing was touched. Both roles need to run pg_control_system() (every role may, unless "
					+ "revoked: GRANT EXECUTE ON FUNCTION pg_control_system() TO the role).", ex);
		}
		for (DatabaseIdentity qaIdentity : qaIdentities) {
			if (qaIdentity.sameDatabaseAs(prodIdentity)) {
				throw QaIsProdException.same("Refused: the QA database " + describe(qa) + " is the Prod database "
						+ describe(prod) + ": both reach " + prodIdentity.name() + " on the server with system "
						+ "identifier " + Long.toUnsignedString(prodIdentity.systemIdentifier())
						+ " (a standby or a copy of it counts as the same). Nothing was touched; fix "
						+ "ops.environments.qa.database.");
			}
		}
	}

	static String describe(DatabaseSettings database) {
		return database.name() + " on " + database.host() + ":" + database.port();
	}

}
