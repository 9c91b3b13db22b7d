package au.edu.unimelb.reporting.ops.notify;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import au.edu.unimelb.reporting.ops.engine.LogText;
import au.edu.unimelb.reporting.ops.mail.MailServer;
import au.edu.unimelb.reporting.ops.security.IdentityRoles;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns {@link Recipients} into e-mail addresses: the testers and named users as the
 * engine's identity service knows them (the users of the settings, or the directory's),
 * the operators from the settings. Users without an address are left out.
 */
public final class Addresses {

	private static final Logger log = LoggerFactory.getLogger(Addresses.class);

	private final Supplier<IdentityService> identity;

	private final List<String> operators;

	private final IdentityRoles roles;

	/**
	 * @param identity the engine's identity service, asked when a notice is sent (the
	 * engine is built after the notification beans)
	 * @param operators the operators' addresses
	 * @param roles which group holds the testers (configured users or the directory's
	 * mapped group)
	 */
	public Addresses(Supplier<IdentityService> identity, List<String> operators, IdentityRoles roles) {
		this.identity = identity;
		this.operators = List.copyOf(operators);
		this.roles = roles;
	}

	/**
	 * @return the distinct addresses, sorted; empty when nobody has one
	 */
	public List<String> of(Recipients recipients) {
		// one message per address, whatever its case
		Set<String> addresses = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
		if (recipients.allTesters()) {
			this.identity.get()
				.createUserQuery()
				.memberOfGroup(this.roles.testersGroup())
				.list()
				.stream()
				// a directory may give an id in another case than the release's starter
				// typed
				.filter((user) -> recipients.except()
					.stream()
					.noneMatch((left) -> IdentityRoles.sameUser(left, user.getId())))
				.forEach((user) -> add(addresses, user));
		}
		if (!recipients.users().isEmpty()) {
			this.identity.get()
				.createUserQuery()
				.userIdIn(recipients.users().toArray(String[]::new))
				.list()
				.forEach((user) -> add(addresses, user));
		}
		if (recipients.allOperators()) {
			addresses.addAll(this.operators);
		}
		return List.copyOf(addresses);
	}

	/**
	 * A directory's e-mail attribute is not checked by anyone: one that is not a single
	 * plain address (two after a comma, a line break and a header) is left out and
	 * logged, so that it neither reaches a header nor stops the others' messages.
	 */
	private static void add(Set<String> addresses, User user) {
		String email = user.getEmail();
		if (email == null || email.isBlank()) {
			return;
		}
		if (MailServer.isPlainAddress(email.strip())) {
			addresses.add(email.strip());
		}
		else {
			log.warn("User {} has a malformed e-mail address: no message for them", LogText.of(user.getId()));
		}
	}

}
