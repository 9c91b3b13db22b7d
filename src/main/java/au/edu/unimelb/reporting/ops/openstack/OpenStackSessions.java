package au.edu.unimelb.reporting.ops.openstack;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings;
import au.edu.unimelb.reporting.ops.config.CloudSettings;
import org.openstack4j.api.EndpointTokenProvider;
import org.openstack4j.api.OSClient.OSClientV3;
import org.openstack4j.api.types.Facing;
import org.openstack4j.api.types.ServiceType;
import org.openstack4j.core.transport.Config;
import org.openstack4j.model.common.Identifier;
import org.openstack4j.model.identity.v3.Token;
import org.openstack4j.openstack.OSFactory;

import org.springframework.stereotype.Component;

/**
 * Each environment's Keystone v3 session, shared by the OpenStack facades (Heat, the
 * compute API).
 *
 * <p>
 * openstack4j sessions are bound to the thread that authenticated, and the engine's job
 * threads change; so each environment's token is kept here and every call makes a client
 * from it on the calling thread ({@code OSFactory.clientFromToken}). A token is renewed
 * five minutes before it expires, or after a failed call ({@link #forget}), by one caller
 * at a time while the others wait for its token; no lock of the map is held while
 * Keystone is asked. A health check never waits for that: it asks Keystone itself, within
 * its own timeout, and a check that fails or times out leaves the shared token as it was.
 * Every HTTP call has a connect and a read timeout
 * ({@code cloud.request-timeout-seconds}).
 */
@Component
public class OpenStackSessions {

	private static final Duration RENEW_BEFORE_EXPIRY = Duration.ofMinutes(5);

	private final EnvironmentsSettings environments;

	private final Map<String, Token> tokens = new ConcurrentHashMap<>();

	/** Held while a caller other than a health check renews an environment's token. */
	private final Map<String, ReentrantLock> renewing = new ConcurrentHashMap<>();

	public OpenStackSessions(EnvironmentsSettings environments) {
		this.environments = environments;
	}

	/**
	 * A client for the calling thread, from the environment's token (authenticating first
	 * when there is none or it expires soon).
	 * @param environment {@code qa} or {@code prod}
	 * @return the client, in the environment's region when one is set
	 */
	public OSClientV3 client(String environment) {
		return client(environment, null);
	}

	/**
	 * A client as {@link #client(String)}, whose calls (and the authentication, when
	 * needed) give up sooner: for a health check. When the shared token is missing or
	 * expires soon, the check asks Keystone for one itself, without waiting for another
	 * caller that is renewing it, and offers it to the others only when they still have
	 * none that is usable: a check that fails or times out changes nothing shared.
	 * @param environment {@code qa} or {@code prod}
	 * @param timeout the connect and read timeout, when shorter than the environment's
	 * own ({@code null}: the environment's)
	 * @return the client
	 */
	public OSClientV3 client(String environment, Duration timeout) {
		CloudSettings cloud = cloud(environment);
		Token token = (timeout == null) ? token(environment, cloud) : tokenForCheck(environment, cloud, timeout);
		OSClientV3 os = OSFactory.clientFromToken(token, Facing.PUBLIC, config(cloud, timeout));
		if (cloud.region() != null && !cloud.region().isBlank()) {
			os.useRegion(cloud.region());
		}
		return os;
	}

	/**
	 * The endpoint a client's calls of a type go to: the catalog's public one of the
	 * service, in the environment's region.
	 * @return its URL, or {@code null} when the client cannot say
	 */
	public static String endpoint(OSClientV3 os, ServiceType type) {
		return (os instanceof EndpointTokenProvider provider) ? provider.getEndpoint(type) : null;
	}

	/**
	 * Drops the environment's token after a failed call: a 401 may mean it was revoked,
	 * so the next call authenticates afresh.
	 */
	public void forget(String environment) {
		this.tokens.remove(environment);
	}

	/**
	 * Drops the token a client used, when Keystone or a service refused it (401), unless
	 * another caller has renewed the environment's token since: then the new one stays.
	 * @param environment {@code qa} or {@code prod}
	 * @param os the client whose token was refused
	 */
	public void forget(String environment, OSClientV3 os) {
		Token used = os.getToken();
		if (used != null) {
			this.tokens.remove(environment, used);
		}
	}

	private Token token(String environment, CloudSettings cloud) {
		Token current = this.tokens.get(environment);
		if (usable(current)) {
			return current;
		}
		ReentrantLock lock = this.renewing.computeIfAbsent(environment, (name) -> new ReentrantLock());
		lock.lock();
		try {
			current = this.tokens.get(environment);
			if (usable(current)) {
				return current;
			}
			Token fresh = authenticate(cloud, null);
			this.tokens.put(environment, fresh);
			return fresh;
		}
		finally {
			lock.unlock();
		}
	}

	private Token tokenForCheck(String environment, CloudSettings cloud, Duration timeout) {
		Token current = this.tokens.get(environment);
		if (usable(current)) {
			return current;
		}
		Token fresh = authenticate(cloud, timeout);
		return this.tokens.merge(environment, fresh, (had, offered) -> usable(had) ? had : offered);
	}

	private static boolean usable(Token token) {
		return token != null && !expiresSoon(token);
	}

	private static Token authenticate(CloudSettings cloud, Duration timeout) {
		Identifier domain = Identifier.byName(cloud.domain());
		OSClientV3 os = OSFactory.builderV3()
			.withConfig(config(cloud, timeout))
			.endpoint(cloud.authUrl())
			.credentials(cloud.userName(), cloud.password().reveal(), domain)
			.scopeToProject(Identifier.byName(cloud.projectName()), domain)
			.authenticate();
		return os.getToken();
	}

	private static boolean expiresSoon(Token token) {
		return token.getExpires() == null
				|| token.getExpires().toInstant().isBefore(Instant.now().plus(RENEW_BEFORE_EXPIRY));
	}

	private static Config config(CloudSettings cloud, Duration timeout) {
		long own = Duration.ofSeconds(cloud.requestTimeoutSeconds()).toMillis();
		int millis = (int) ((timeout != null) ? Math.min(own, Math.max(1, timeout.toMillis())) : own);
		Config config = Config.newConfig().withConnectionTimeout(Math.min(millis, 10_000)).withReadTimeout(millis);
		return cloud.endpointOverrides().isEmpty() ? config
				: config.withEndpointURLResolver(new EndpointOverrides(cloud.endpointOverrides()));
	}

	private CloudSettings cloud(String environment) {
		return this.environments.find(environment)
			.orElseThrow(() -> new IllegalArgumentException("Environment " + environment + " is not configured"))
			.cloud();
	}

}
