package au.edu.unimelb.reporting.ops.ssh;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A host reached over SSH with a private key; its host key must be in the known_hosts
 * file.
 *
 * @param host the host name or address
 * @param port the SSH port
 * @param user the remote user
 * @param privateKey the private key file
 * @param knownHosts the known_hosts file that holds the host's key
 * @param timeout the limit for connecting and for a whole command
 */
public record SshTarget(String host, int port, String user, Path privateKey, Path knownHosts, Duration timeout) {

	@Override
	public String toString() {
		return this.user + "@" + this.host + ":" + this.port;
	}

}
