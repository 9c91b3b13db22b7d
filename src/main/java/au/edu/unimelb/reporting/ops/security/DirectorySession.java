package au.edu.unimelb.reporting.ops.security;

import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.impl.interceptor.Session;
import org.camunda.bpm.identity.impl.ldap.LdapConfiguration;
import org.camunda.bpm.identity.impl.ldap.LdapIdentityProviderFactory;
import org.camunda.bpm.identity.impl.ldap.LdapIdentityProviderSession;

/**
 * The LDAP plugin's session, with one rule more for a login: the name typed must be the
 * directory's own id of the entry it finds, exactly. A directory matches {@code uid}
 * ignoring case and surrounding spaces (and, in OpenLDAP, Unicode compatibility forms),
 * so {@code TESS}, {@code " tess"} or a full-width {@code ｔｅｓｓ} all find and bind as
 * {@code tess}; the engine would then know the same person under several ids, and every
 * rule that names a user (the release's requester may not approve it, a tester approves
 * once, the revoke that hides the UAT task from its starter, Jenkins' grants) could be
 * walked around by typing the id differently. With this rule a person has one id in the
 * service: the directory's (the first value, when an entry has several).
 */
class DirectorySession extends LdapIdentityProviderSession {

	DirectorySession(LdapConfiguration configuration) {
		super(configuration);
	}

	@Override
	public boolean checkPassword(String userId, String password) {
		if (userId == null || userId.isEmpty() || password == null || password.isEmpty()) {
			return false;
		}
		User user = findUserById(userId);
		if (user == null || !userId.equals(user.getId())) {
			return false;
		}
		return super.checkPassword(userId, password);
	}

	/** Opens {@link DirectorySession}s. */
	static final class Factory extends LdapIdentityProviderFactory {

		@Override
		public Session openSession() {
			return new DirectorySession(getLdapConfiguration());
		}

	}

}
