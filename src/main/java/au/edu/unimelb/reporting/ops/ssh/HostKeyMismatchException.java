package au.edu.unimelb.reporting.ops.ssh;

/**
 * The server presented a host key that is not the one expected (not in known_hosts, or
 * not among the keys the cloud reported for it): the connection was refused before
 * anything was sent. Either the wrong server answers at that address or someone is in
 * between.
 */
public class HostKeyMismatchException extends SshException {

	public HostKeyMismatchException(String message, Throwable cause) {
		super(message, cause);
	}

}
