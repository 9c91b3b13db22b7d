package au.edu.unimelb.reporting.ops.config;

import java.util.Objects;

/**
 * A secret setting (a password, a passphrase). Its {@link #toString()} never shows the
 * value, so a secret that reaches a log line, an exception message or a validation error
 * stays hidden; the value is read only through {@link #reveal()}, at the one place that
 * hands it to an outside system.
 *
 * <p>
 * Bound from configuration through {@link #of(String)}; secrets come from environment
 * variables or files, never from {@code application.yml}.
 */
public final class Secret {

	private final String value;

	private Secret(String value) {
		this.value = value;
	}

	/**
	 * Wraps a secret value.
	 * @param value the value, not {@code null}
	 * @return the secret
	 */
	public static Secret of(String value) {
		return new Secret(Objects.requireNonNull(value, "value"));
	}

	/**
	 * Returns the value, for the one call that needs it.
	 * @return the secret value
	 */
	public String reveal() {
		return this.value;
	}

	/**
	 * Tells whether the value is empty or only white space.
	 * @return {@code true} if there is nothing in it
	 */
	public boolean isBlank() {
		return this.value.isBlank();
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof Secret secret && secret.value.equals(this.value);
	}

	@Override
	public int hashCode() {
		return this.value.hashCode();
	}

	@Override
	public String toString() {
		return "******";
	}

}
