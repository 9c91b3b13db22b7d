package au.edu.unimelb.reporting.ops.heat;

import java.util.OptionalLong;

/**
 * Stack names of the form prefix + number ({@code reporting_prod_42}).
 */
public final class StackNames {

	private StackNames() {
	}

	/**
	 * @return the number after the prefix, or empty when the name is not prefix + digits
	 */
	public static OptionalLong numberOf(String prefix, String name) {
		if (name == null || !name.startsWith(prefix) || name.length() == prefix.length()) {
			return OptionalLong.empty();
		}
		String rest = name.substring(prefix.length());
		if (rest.length() > 12 || !rest.chars().allMatch(Character::isDigit)) {
			return OptionalLong.empty();
		}
		return OptionalLong.of(Long.parseLong(rest));
	}

	public static String name(String prefix, long number) {
		return prefix + number;
	}

}
