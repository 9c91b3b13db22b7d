package au.edu.unimelb.reporting.ops.security;

import java.io.IOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.naming.CommunicationException;
import javax.naming.NamingException;
import javax.naming.ServiceUnavailableException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import au.edu.unimelb.reporting.ops.config.InvalidSettingException;
import au.edu.unimelb.reporting.ops.security.IdentitySettings.Ldap;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.identity.IdentityProviderException;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;
import org.camunda.bpm.identity.impl.ldap.LdapAuthenticationException;
import org.camunda.bpm.identity.impl.ldap.plugin.LdapIdentityProviderPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camunda's LDAP identity provider (plugin 7.23.0 on the 7.24 engine), configured from
 * {@link IdentitySettings.Ldap}: users and groups are read from the directory, and the
 * engine's own identity store is read-only. Connections have a connect and a read
 * timeout; {@code ldaps://} trusts the configured trust store only. A directory that does
 * not answer turns into {@link DirectoryUnavailableException} (503, a message an operator
 * understands) for the login or look-up that needed it, and nothing else.
 */
class DirectoryPlugin extends LdapIdentityProviderPlugin {

	private static final Logger log = LoggerFactory.getLogger(DirectoryPlugin.class);

	/** JNDI's property for the class that creates the directory's sockets. */
	static final String SOCKET_FACTORY = "java.naming.ldap.factory.socket";

	private final String url;

	DirectoryPlugin(Ldap ldap) {
		this.url = ldap.url();
		setServerUrl(ldap.url());
		setBaseDn(ldap.baseDn());
		setUserSearchBase(ldap.userBase());
		setUserSearchFilter(ldap.userSearchFilter());
		setGroupSearchBase(ldap.groupBase());
		setGroupSearchFilter(ldap.groupSearchFilter());
		setUserIdAttribute(ldap.userIdAttribute());
		setUserFirstnameAttribute(ldap.userFirstNameAttribute());
		setUserLastnameAttribute(ldap.userLastNameAttribute());
		setUserEmailAttribute(ldap.userEmailAttribute());
		setGroupIdAttribute(ldap.groupIdAttribute());
		setGroupNameAttribute(ldap.groupNameAttribute());
		setGroupMemberAttribute(ldap.groupMemberAttribute());
		setManagerDn(ldap.bindDn());
		setManagerPassword(ldap.bindPassword().reveal());
		// an empty password would be an anonymous bind, which many directories accept as
		// a "login"
		setAllowAnonymousLogin(false);
		setAcceptUntrustedCertificates(false);
		// OpenLDAP has no server-side sorting unless its overlay is loaded
		setSortControlSupported(false);
		setUseSsl(ldap.url().regionMatches(true, 0, "ldaps://", 0, 8));
		Map<String, String> context = new HashMap<>();
		context.put("com.sun.jndi.ldap.connect.timeout", Long.toString(ldap.connectTimeout().toMillis()));
		context.put("com.sun.jndi.ldap.read.timeout", Long.toString(ldap.readTimeout().toMillis()));
		if (ldap.trustStore() != null) {
			DirectoryTrustSocketFactory.trust(trustStore(ldap).getSocketFactory());
			context.put(SOCKET_FACTORY, DirectoryTrustSocketFactory.class.getName());
		}
		setContextProperties(context);
	}

	private static SSLContext trustStore(Ldap ldap) {
		if (!Files.isReadable(ldap.trustStore())) {
			throw new InvalidSettingException("ops.identity.ldap.trust-store",
					"names " + ldap.trustStore() + ", which is not a readable file");
		}
		try {
			KeyStore store = KeyStore.getInstance(ldap.trustStore().toFile(),
					ldap.trustStorePassword().reveal().toCharArray());
			TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trust.init(store);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, trust.getTrustManagers(), null);
			return context;
		}
		catch (IOException | GeneralSecurityException ex) {
			throw new InvalidSettingException("ops.identity.ldap.trust-store",
					"cannot be read as a PKCS12 or JKS trust store with ops.identity.ldap.trust-store-password ("
							+ ex.getClass().getSimpleName() + ")");
		}
	}

	@Override
	public void preInit(ProcessEngineConfigurationImpl configuration) {
		super.preInit(configuration);
		// the plugin's session, with a login accepted only under the directory's own id
		DirectorySession.Factory sessions = new DirectorySession.Factory();
		sessions.setLdapConfiguration(this);
		configuration.setIdentityProviderSessionFactory(sessions);
		List<CommandInterceptor> required = new ArrayList<>();
		required.add(new DirectoryDown(this.url));
		if (configuration.getCustomPreCommandInterceptorsTxRequired() != null) {
			required.addAll(configuration.getCustomPreCommandInterceptorsTxRequired());
		}
		configuration.setCustomPreCommandInterceptorsTxRequired(required);
		List<CommandInterceptor> notRequired = new ArrayList<>();
		notRequired.add(new DirectoryDown(this.url));
		if (configuration.getCustomPreCommandInterceptorsTxRequiresNew() != null) {
			notRequired.addAll(configuration.getCustomPreCommandInterceptorsTxRequiresNew());
		}
		configuration.setCustomPreCommandInterceptorsTxRequiresNew(notRequired);
		log.info("Users and groups come from the directory at {} (read-only)", this.url);
	}

	/**
	 * Turns "the directory did not answer" into {@link DirectoryUnavailableException},
	 * wherever an engine command met it.
	 */
	static final class DirectoryDown extends CommandInterceptor {

		private final String url;

		DirectoryDown(String url) {
			this.url = url;
		}

		@Override
		public <T> T execute(Command<T> command) {
			try {
				return this.next.execute(command);
			}
			catch (LdapAuthenticationException ex) {
				// a user's wrong password is a plain "no" inside the plugin: what reaches
				// here is the service's own bind (bind-dn, bind-password) refused
				log.error(
						"The directory at {} refused the service's bind account (ops.identity.ldap.bind-dn): "
								+ "check ops.identity.ldap.bind-password; {} refused",
						this.url, command.getClass().getSimpleName());
				throw DirectoryUnavailableException.bindRefused();
			}
			catch (DirectorySession.Unreachable ex) {
				throw unavailable(command, unreachable(ex));
			}
			catch (IdentityProviderException ex) {
				NamingException cause = unreachable(ex);
				if (cause == null) {
					throw ex;
				}
				throw unavailable(command, cause);
			}
		}

		private DirectoryUnavailableException unavailable(Command<?> command, NamingException cause) {
			log.warn("The directory at {} is unreachable ({}): {} refused", this.url, cause,
					command.getClass().getSimpleName());
			return new DirectoryUnavailableException();
		}

		/**
		 * The directory's failure to answer behind a plugin error, if that is what it is.
		 */
		static NamingException unreachable(Throwable failure) {
			for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
				if (cause instanceof CommunicationException || cause instanceof ServiceUnavailableException) {
					return (NamingException) cause;
				}
				if (cause instanceof NamingException naming && naming.getMessage() != null
						&& naming.getMessage().contains("timed out")) {
					return naming;
				}
			}
			return null;
		}

	}

}
