package au.edu.unimelb.reporting.ops.notify;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import au.edu.unimelb.reporting.ops.security.IdentityRoles;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;

/**
 * Turns {@link Recipients} into e-mail addresses: the testers and named users as the
 * engine's identity service knows them (the users of the settings, or the directory's),
 * the operators from the settings. Users without an address are left out.
 */
public final class Addresses {

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
		Set<String> addresses = new TreeSet<>();
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

	private static void add(Set<String> addresses, User user) {
		if (user.getEmail() != null && !user.getEmail().isBlank()) {
			addresses.add(user.getEmail().strip());
		}
	}

}
