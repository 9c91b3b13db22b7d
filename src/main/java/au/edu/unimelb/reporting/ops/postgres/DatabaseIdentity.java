package au.edu.unimelb.reporting.ops.postgres;

/**
 * Which database a setting reaches, as its server reports it, not as the setting spells
 * it: {@code localhost} and {@code 127.0.0.1}, a second address or a connection pooler in
 * front of one server all give one identity.
 *
 * @param systemIdentifier the server's system identifier
 * ({@code pg_control_system().system_identifier}): made by {@code initdb}, so one for
 * every way of reaching a cluster and another for every other cluster; a standby or a
 * physical copy keeps its primary's, so it counts as the same server whatever its port
 * @param port the port the server itself listens on ({@code current_setting('port')}),
 * whatever port the setting names
 * @param name the database's name on that server
 */
public record DatabaseIdentity(long systemIdentifier, int port, String name) {

	/**
	 * Whether both are one database, or copies of one another that replication may tie
	 * together: the same system identifier and name, whatever the ports.
	 */
	public boolean sameDatabaseAs(DatabaseIdentity other) {
		return this.systemIdentifier == other.systemIdentifier && this.name.equals(other.name);
	}

	/** The database of another name on the same server. */
	public DatabaseIdentity named(String otherName) {
		return new DatabaseIdentity(this.systemIdentifier, this.port, otherName);
	}

	@Override
	public String toString() {
		return this.name + " on the server with system identifier " + Long.toUnsignedString(this.systemIdentifier)
				+ ", port " + this.port;
	}

}
