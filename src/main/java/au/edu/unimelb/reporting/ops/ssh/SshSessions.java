package au.edu.unimelb.reporting.ops.ssh;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchAlgoNegoFailException;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.JSchHostKeyException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.UserInfo;

/**
 * Opening a jsch session for a call: key authentication only, the host key checked
 * strictly against a known_hosts file or against the keys the cloud reported for a new
 * server (never trusted on first use, nothing written to a known_hosts file), within the
 * call's deadline; and what jsch's failures mean in words an operator can act on.
 */
final class SshSessions {

	private SshSessions() {
	}

	/**
	 * @throws SshException when it could not connect, or the host key did not match
	 * ({@link HostKeyMismatchException})
	 */
	static Session connect(SshCall call) {
		SshTarget target = call.target();
		try {
			JSch jsch = new JSch();
			jsch.addIdentity(target.privateKey().toString());
			if (target.hostKeys() != null) {
				jsch.setHostKeyRepository(new ExpectedHostKeys(target.hostKeys()));
			}
			else {
				jsch.setKnownHosts(target.knownHosts().toString());
			}
			Session session = jsch.getSession(target.user(), target.host(), target.port());
			session.setConfig("StrictHostKeyChecking", "yes");
			session.setConfig("PreferredAuthentications", "publickey");
			if (target.hostKeys() != null) {
				// Negotiate only key types the cloud reported, so the server presents one
				// of those.
				session.setConfig("server_host_key", String.join(",", target.hostKeys().algorithms()));
			}
			session.setSocketFactory(call);
			session.setTimeout(call.remainingMillis());
			session.connect(call.remainingMillis());
			if (call.passed()) {
				session.disconnect();
				throw call.deadlinePassed("connecting", null);
			}
			return session;
		}
		catch (JSchException ex) {
			call.checkDeadline("connecting", ex);
			throw failure(target, ex);
		}
	}

	/**
	 * What a jsch failure means: a host key that does not match, a key refused, or else.
	 */
	static SshException failure(SshTarget target, JSchException ex) {
		String message = String.valueOf(ex.getMessage());
		if (ex instanceof JSchHostKeyException || message.contains("HostKey has been changed")
				|| message.contains("reject HostKey") || message.contains("UnknownHostKey")) {
			String expected = (target.hostKeys() != null)
					? "the host keys the cloud reported for it (its console at first boot)"
					: target.knownHosts().toString();
			String update = (target.hostKeys() != null) ? ""
					: "; check the host and its key before updating known_hosts";
			return new HostKeyMismatchException("ssh " + target + ": the host key does not match " + expected
					+ " (refused" + update + "): " + message, ex);
		}
		if (target.hostKeys() != null && ex instanceof JSchAlgoNegoFailException failed
				&& String.valueOf(failed.getAlgorithmName()).contains("host_key")) {
			return new HostKeyMismatchException("ssh " + target + ": the server offers no host key of the types the "
					+ "cloud reported for it " + target.hostKeys().algorithms() + " (refused): " + message, ex);
		}
		if (message.contains("Auth fail") || message.contains("USERAUTH fail")) {
			return new SshException("ssh " + target + ": the key " + target.privateKey() + " was not accepted", ex);
		}
		return new SshException("ssh " + target + ": " + message, ex);
	}

	/**
	 * A host key repository in memory that knows exactly the expected keys: any other key
	 * is refused, and nothing is ever added or written to a file.
	 */
	private record ExpectedHostKeys(HostKeys keys) implements HostKeyRepository {

		@Override
		public int check(String host, byte[] key) {
			return this.keys.accepts(key) ? OK : CHANGED;
		}

		@Override
		public void add(HostKey hostkey, UserInfo ui) {
			// never: the expected keys come from the cloud, not from the connection
		}

		@Override
		public void remove(String host, String type) {
		}

		@Override
		public void remove(String host, String type, byte[] key) {
		}

		@Override
		public String getKnownHostsRepositoryID() {
			return "the cloud's console log";
		}

		@Override
		public HostKey[] getHostKey() {
			return new HostKey[0];
		}

		@Override
		public HostKey[] getHostKey(String host, String type) {
			return new HostKey[0];
		}

	}

}
