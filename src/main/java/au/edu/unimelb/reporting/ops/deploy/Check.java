package au.edu.unimelb.reporting.ops.deploy;

/**
 * The answer of a check that a waiting loop branches on.
 *
 * @param state {@link DeployReplaceProcess#READY}, {@link DeployReplaceProcess#PENDING}
 * or {@link DeployReplaceProcess#FAILED}
 * @param value what was found when ready (an address, a URL)
 * @param reason why it failed
 * @param serverId the Nova server of a ready stack (its output {@code server_id}), or
 * {@code null}
 */
public record Check(String state, String value, String reason, String serverId) {

	static final Check PENDING = new Check(DeployReplaceProcess.PENDING, null, null, null);

	static Check ready(String value) {
		return new Check(DeployReplaceProcess.READY, value, null, null);
	}

	static Check readyServer(String address, String serverId) {
		return new Check(DeployReplaceProcess.READY, address, null, serverId);
	}

	static Check failed(String reason) {
		return new Check(DeployReplaceProcess.FAILED, null, reason, null);
	}

}
