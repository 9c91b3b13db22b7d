package au.edu.unimelb.reporting.ops.config;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Knows the configured secret values and tells whether a text carries one. A text carries
 * a secret when it equals it, or contains it and the secret is long enough (six
 * characters or more) for that not to be chance. Built from every {@link HasSecrets}
 * settings bean (see {@code security.SecretGuardConfiguration}); here, beside the
 * settings, so that the facades that mask what programs and remotes print need nothing
 * above the settings.
 */
public final class SecretGuard {

	static final int MIN_LENGTH_FOR_CONTAINS = 6;

	private final List<String> values;

	/**
	 * @param secrets the configured secrets; {@code null}s and blank ones are ignored
	 */
	public SecretGuard(Collection<Secret> secrets) {
		this.values = secrets.stream()
			.filter(Objects::nonNull)
			.filter(secret -> !secret.isBlank())
			.map(Secret::reveal)
			.distinct()
			.toList();
	}

	/**
	 * @param text a text about to be stored or shown
	 * @return {@code true} if it carries a configured secret
	 */
	public boolean carriesSecret(String text) {
		if (text == null || text.isEmpty()) {
			return false;
		}
		for (String value : this.values) {
			if (text.equals(value) || (value.length() >= MIN_LENGTH_FOR_CONTAINS && text.contains(value))) {
				return true;
			}
		}
		return false;
	}

	/**
	 * @param text a text about to be logged or shown
	 * @return the text with every configured secret in it replaced by {@code ******}
	 */
	public String mask(String text) {
		if (text == null || text.isEmpty()) {
			return text;
		}
		String masked = text;
		for (String value : this.values) {
			if (masked.equals(value)) {
				return "******";
			}
			if (value.length() >= MIN_LENGTH_FOR_CONTAINS) {
				masked = masked.replace(value, "******");
			}
		}
		return masked;
	}

	/** How many distinct secrets it knows. */
	public int size() {
		return this.values.size();
	}

}
