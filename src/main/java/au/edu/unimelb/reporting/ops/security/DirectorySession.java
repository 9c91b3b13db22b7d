package au.edu.unimelb.reporting.ops.security;

import java.util.List;
import java.util.stream.Stream;

import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.impl.identity.IdentityProviderException;
import org.camunda.bpm.engine.impl.interceptor.Session;
import org.camunda.bpm.identity.impl.ldap.LdapAuthenticationException;
import org.camunda.bpm.identity.impl.ldap.LdapConfiguration;
import org.camunda.bpm.identity.impl.ldap.LdapGroupQuery;
import org.camunda.bpm.identity.impl.ldap.LdapIdentityProviderFactory;
import org.camunda.bpm.identity.impl.ldap.LdapIdentityProviderSession;
import org.camunda.bpm.identity.impl.ldap.LdapUserQueryImpl;

/**
 * The LDAP plugin's session, with one rule more for a login: the name typed must be the
 * directory's own id of the entry it finds, exactly. A directory matches {@code uid}
 * ignoring case and surrounding spaces (and, in OpenLDAP, Unicode compatibility forms),
 * so {@code TESS}, {@code " tess"} or a full-width {@code ｔｅｓｓ} all find and bind as
 * {@code tess}; the engine would then know the same person under several ids, and every
 * rule that names a user (the release's requester may not approve it, a tester approves
 * once, the revoke that hides the UAT task from its starter, Jenkins' grants) could be
 * walked around by typing the id differently. With this rule a person has one id in the
 * service: the directory's (the first value, when an entry has several). A look-up by a
 * value that holds LDAP filter syntax finds nothing ({@link #filterSyntax}).
 *
 * <p>
 * A directory that does not answer is reported as {@link Unreachable}, which the engine
 * logs at DEBUG only (it logs any other failure of a command at ERROR with its stack
 * trace: a directory outage with Jenkins following a release every second filled the log
 * with those); {@link DirectoryPlugin}'s interceptor turns it into one WARN line and a
 * 503.
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
		try {
			return super.checkPassword(userId, password);
		}
		catch (IdentityProviderException ex) {
			throw quiet(ex);
		}
	}

	@Override
	public List<User> findUserByQueryCriteria(LdapUserQueryImpl query) {
		if (Stream.of(query.getGroupId(), query.getEmail(), query.getFirstName(), query.getLastName())
			.anyMatch(DirectorySession::filterSyntax)
				|| Stream.of(query.getEmailLike(), query.getFirstNameLike(), query.getLastNameLike())
					.anyMatch(DirectorySession::filterSyntaxButWildcards)) {
			return List.of();
		}
		try {
			return super.findUserByQueryCriteria(query);
		}
		catch (IdentityProviderException ex) {
			throw quiet(ex);
		}
	}

	@Override
	public List<Group> findGroupByQueryCriteria(LdapGroupQuery query) {
		if (Stream
			.concat(Stream.of(query.getId(), query.getName()),
					(query.getIds() != null) ? Stream.of(query.getIds()) : Stream.empty())
			.anyMatch(DirectorySession::filterSyntax) || filterSyntaxButWildcards(query.getNameLike())) {
			return List.of();
		}
		try {
			return super.findGroupByQueryCriteria(query);
		}
		catch (IdentityProviderException ex) {
			throw quiet(ex);
		}
	}

	/**
	 * The plugin (7.23) writes a group's id and name, a user's group, e-mail and names
	 * into its search filters as they are (only user ids are escaped): a look-up for
	 * {@code *} or {@code x)(cn=*} would find every group, or another than asked. Such a
	 * look-up finds nothing here; no id or name the service uses holds these.
	 */
	static boolean filterSyntax(String value) {
		return value != null && (value.indexOf('*') >= 0 || filterSyntaxButWildcards(value));
	}

	/** For the "like" look-ups, whose {@code *} is a wildcard. */
	static boolean filterSyntaxButWildcards(String value) {
		return value != null && value.chars().anyMatch((c) -> c == '(' || c == ')' || c == '\\' || c == 0);
	}

	private static RuntimeException quiet(IdentityProviderException ex) {
		return (!(ex instanceof LdapAuthenticationException) && DirectoryPlugin.DirectoryDown.unreachable(ex) != null)
				? new Unreachable(ex) : ex;
	}

	/**
	 * The directory did not answer (a {@link BadUserRequestException}, so that the engine
	 * logs it at DEBUG); its cause is the plugin's error.
	 */
	static final class Unreachable extends BadUserRequestException {

		Unreachable(IdentityProviderException cause) {
			super("The user directory did not answer", cause);
		}

	}

	/** Opens {@link DirectorySession}s. */
	static final class Factory extends LdapIdentityProviderFactory {

		@Override
		public Session openSession() {
			return new DirectorySession(getLdapConfiguration());
		}

	}

}
