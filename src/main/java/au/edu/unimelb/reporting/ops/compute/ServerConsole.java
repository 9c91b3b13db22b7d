package au.edu.unimelb.reporting.ops.compute;

import java.util.Objects;

import au.edu.unimelb.reporting.ops.openstack.OpenStackSessions;

import org.springframework.stereotype.Component;

/**
 * The one facade over the OpenStack compute API (Nova) the service needs: a server's
 * console log, in which cloud-init prints the SSH host keys the server generated at first
 * boot. Uses the environment's Keystone session ({@link OpenStackSessions}) and the
 * catalog's public {@code compute} endpoint.
 */
@Component
public class ServerConsole {

	private final OpenStackSessions sessions;

	public ServerConsole(OpenStackSessions sessions) {
		this.sessions = sessions;
	}

	/**
	 * Reads a server's console log ({@code POST /v2.1/servers/{server_id}/action
	 * {"os-getConsoleOutput": {}}}: all of it that Nova keeps, about the last 100 KB).
	 * @param environment {@code qa} or {@code prod}
	 * @param serverId the Nova server's id (the stack output {@code server_id})
	 * @return the console text; empty when there is none (yet)
	 * @throws ComputeException when the call failed (refused, timed out, 4xx, 5xx)
	 */
	public String output(String environment, String serverId) {
		try {
			// 0 lines: no "length" in the request, so Nova returns what it keeps.
			return Objects.toString(this.sessions.client(environment).compute().servers().getConsoleOutput(serverId, 0),
					"");
		}
		catch (RuntimeException ex) {
			// openstack4j reports refused connections, timeouts, 4xx and 5xx as unchecked
			// exceptions of its own; a 401 may mean the token was revoked.
			this.sessions.forget(environment);
			throw new ComputeException("Compute call POST /servers/" + serverId + "/action (os-getConsoleOutput) for "
					+ environment + " failed", ex);
		}
	}

}
