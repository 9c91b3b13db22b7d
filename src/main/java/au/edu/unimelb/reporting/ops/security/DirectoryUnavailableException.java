package au.edu.unimelb.reporting.ops.security;

import jakarta.ws.rs.core.Response.Status;
import org.camunda.bpm.engine.rest.exception.RestException;

/**
 * The LDAP directory did not answer, so a login or a group look-up cannot be checked.
 * Cockpit's and Tasklist's login answer it with 503 and this message (a
 * {@link RestException} carries its status through the webapps' REST layer); the REST
 * API's basic authentication answers it the same way
 * ({@link DirectoryUnavailableFilter}). Running processes do not need the directory and
 * go on. The message names no host: anyone who tries a login reads it; the log names the
 * directory's address for the operators.
 */
public class DirectoryUnavailableException extends RestException {

	DirectoryUnavailableException() {
		super(Status.SERVICE_UNAVAILABLE, "The user directory (LDAP) is unreachable, so logins cannot be "
				+ "checked right now. Running deploys, backups and releases go on. Try again in a few minutes; if "
				+ "it lasts, tell an operator that the directory is down.");
	}

	private DirectoryUnavailableException(String message) {
		super(Status.SERVICE_UNAVAILABLE, message);
	}

	/**
	 * The directory refused the service's own account (its password was changed or it was
	 * locked): no login can be checked until an operator fixes the settings.
	 */
	static DirectoryUnavailableException bindRefused() {
		return new DirectoryUnavailableException("The user directory (LDAP) refused the service's "
				+ "own account (ops.identity.ldap.bind-dn), so logins cannot be checked. Running deploys, backups "
				+ "and releases go on. Tell an operator: ops.identity.ldap.bind-password must be the account's "
				+ "current password.");
	}

}
