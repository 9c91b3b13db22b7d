package au.edu.unimelb.reporting.ops.notify;

import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Who a notice is for, as the engine knows people: the members of the testers group (the
 * configured {@code testers}, or the directory group mapped to it), named users (their
 * e-mail comes from the engine's identity service, so also from LDAP), and the operators'
 * addresses of the settings. Resolved to addresses only when the notice is sent, after
 * the step's transaction committed.
 *
 * @param allTesters the members of the testers group
 * @param users user ids
 * @param allOperators the operators' addresses ({@code ops.notify.operators})
 * @param except users left out of the testers (who may not answer: a release's starter
 * and requester)
 */
public record Recipients(boolean allTesters, Set<String> users, boolean allOperators, Set<String> except) {

	public Recipients {
		users = Set.copyOf(users);
		except = Set.copyOf(except);
	}

	public static Recipients testers() {
		return new Recipients(true, Set.of(), false, Set.of());
	}

	public static Recipients operators() {
		return new Recipients(false, Set.of(), true, Set.of());
	}

	/** The given users; {@code null}s are left out. */
	public static Recipients users(String... ids) {
		Set<String> users = new LinkedHashSet<>();
		Stream.of(ids).filter(Objects::nonNull).forEach(users::add);
		return new Recipients(false, users, false, Set.of());
	}

	public Recipients and(Recipients other) {
		Set<String> users = new LinkedHashSet<>(this.users);
		users.addAll(other.users);
		Set<String> except = new LinkedHashSet<>(this.except);
		except.addAll(other.except);
		return new Recipients(this.allTesters || other.allTesters, users, this.allOperators || other.allOperators,
				except);
	}

	/** The testers but these users ({@code null}s are ignored). */
	public static Recipients testersBut(String... ids) {
		Set<String> except = new LinkedHashSet<>();
		Stream.of(ids).filter(Objects::nonNull).forEach(except::add);
		return new Recipients(true, Set.of(), false, except);
	}

	@Override
	public String toString() {
		return String.join(", ",
				Stream
					.of(this.allTesters ? Stream.of("testers") : Stream.<String>empty(), this.users.stream().sorted(),
							this.allOperators ? Stream.of("operators") : Stream.<String>empty())
					.flatMap((s) -> s)
					.toList());
	}

}
