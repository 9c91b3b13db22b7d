package au.edu.unimelb.reporting.ops.config;

import java.util.stream.Stream;

/**
 * A settings record that holds secrets. The service collects them from every such bean so
 * that none can be stored in a process variable (see {@link SecretGuard}).
 */
public interface HasSecrets {

	/**
	 * @return the configured secrets, without {@code null}s
	 */
	Stream<Secret> secrets();

}
