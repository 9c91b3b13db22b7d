package au.edu.unimelb.reporting.ops.compute;

import java.util.Objects;

import au.edu.unimelb.reporting.ops.config.SecureUrls;
import au.edu.unimelb.reporting.ops.openstack.OpenStackSessions;
import org.openstack4j.api.OSClient.OSClientV3;
import org.openstack4j.api.types.ServiceType;

import org.springframework.stereotype.Component;

/**
 * The one facade over the OpenStack compute API (Nova) the service needs: a server's
 * console log, in which cloud-init prints the SSH host keys the server generated at first
 * boot. Uses the environment's Keystone session ({@link OpenStackSessions}) and the
 * catalog's public {@code compute} endpoint, which must be https (or loopback).
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
		String call = "Compute call POST /servers/" + serverId + "/action (os-getConsoleOutput) for " + environment;
		OSClientV3 os;
		String endpoint;
		try {
			os = this.sessions.client(environment);
			endpoint = OpenStackSessions.endpoint(os, ServiceType.COMPUTE);
		}
		catch (RuntimeException ex) {
			this.sessions.forget(environment);
			throw new ComputeException(call + " failed", ex);
		}
		requireSecure(environment, serverId, endpoint);
		try {
			// 0 lines: no "length" in the request, so Nova returns what it keeps.
			return Objects.toString(os.compute().servers().getConsoleOutput(serverId, 0), "");
		}
		catch (RuntimeException ex) {
			// openstack4j reports refused connections, timeouts, 4xx and 5xx as unchecked
			// exceptions of its own; a 401 may mean the token was revoked.
			this.sessions.forget(environment);
			throw new ComputeException(call + " failed", ex);
		}
	}

	/**
	 * The console decides which host keys get the database password, so it is read only
	 * over https (plain http only to a loopback host, the test bed).
	 */
	static void requireSecure(String environment, String serverId, String endpoint) {
		if (!SecureUrls.allows(endpoint)) {
			throw new ComputeException("Refusing to read the console of server " + serverId + " in " + environment
					+ ": the catalog's compute endpoint (" + endpoint + ") is not https, and only a loopback host "
					+ "may be plain http; over http anyone on the path could change the host keys it shows, and "
					+ "those decide who gets the database password");
		}
	}

}
