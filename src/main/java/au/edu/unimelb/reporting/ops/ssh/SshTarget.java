package au.edu.unimelb.reporting.ops.ssh;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A host reached over SSH with a private key. Its host key must be in the known_hosts
 * file, or, for a server that is new (no known_hosts entry yet), one of the host keys the
 * cloud reported for it.
 *
 * @param host the host name or address
 * @param port the SSH port
 * @param user the remote user
 * @param privateKey the private key file
 * @param knownHosts the known_hosts file that holds the host's key, or {@code null} when
 * {@code hostKeys} are given
 * @param hostKeys the only host keys accepted, or {@code null} when {@code knownHosts} is
 * given
 * @param timeout the limit for connecting and for a whole command
 */
public record SshTarget(String host, int port, String user, Path privateKey, Path knownHosts, HostKeys hostKeys,
		Duration timeout) {

	public SshTarget {
		if ((knownHosts == null) == (hostKeys == null)) {
			throw new IllegalArgumentException("Give a known_hosts file or the host keys, not both or neither");
		}
		if (hostKeys != null && hostKeys.isEmpty()) {
			throw new IllegalArgumentException("No host key to check " + host + " against");
		}
	}

	/**
	 * A host whose key is in a known_hosts file.
	 */
	public SshTarget(String host, int port, String user, Path privateKey, Path knownHosts, Duration timeout) {
		this(host, port, user, privateKey, knownHosts, null, timeout);
	}

	/**
	 * A host that must present one of the given keys.
	 */
	public static SshTarget withHostKeys(String host, int port, String user, Path privateKey, HostKeys hostKeys,
			Duration timeout) {
		return new SshTarget(host, port, user, privateKey, null, hostKeys, timeout);
	}

	@Override
	public String toString() {
		return this.user + "@" + this.host + ":" + this.port;
	}

}
