package au.edu.unimelb.reporting.ops.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

/**
 * Turns a failure to bind or validate settings into one line per bad setting, naming the
 * setting, what is wrong and (unless it may be a secret) the value that was given. Used
 * at start by {@link SettingsFailureAnalyzer} and by the settings tests.
 */
public final class SettingsErrors {

	private static final Pattern SECRET_NAME = Pattern.compile("password|passphrase|secret|key$|token",
			Pattern.CASE_INSENSITIVE);

	private SettingsErrors() {
	}

	/**
	 * Describes the settings problem behind a start failure, if there is one.
	 * @param failure the exception that stopped the start
	 * @return one line per bad setting, or empty when the failure is not about settings
	 */
	public static Optional<List<String>> describe(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof BindValidationException validation) {
				return Optional.of(describeValidation(validation));
			}
			if (cause instanceof InvalidSettingException invalid) {
				return Optional.of(List.of(invalid.getMessage()));
			}
		}
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof BindException bind) {
				return Optional.of(List.of(describeBind(bind)));
			}
		}
		return Optional.empty();
	}

	private static List<String> describeValidation(BindValidationException validation) {
		ConfigurationPropertyName parent = validation.getValidationErrors().getName();
		List<String> lines = new ArrayList<>();
		for (ObjectError error : validation.getValidationErrors()) {
			if (error instanceof FieldError field) {
				String name = fullName(parent, field.getField());
				Object shown = isAssertion(error) ? null : field.getRejectedValue();
				lines.add("Setting " + name + " " + reason(error) + shownValue(name, shown));
			}
			else {
				lines.add("Settings under " + parent + ": " + error.getDefaultMessage());
			}
		}
		lines.sort(String::compareTo);
		return lines;
	}

	private static String describeBind(BindException bind) {
		String name = bind.getName().toString();
		Object value = (bind.getProperty() != null) ? bind.getProperty().getValue() : null;
		if (value instanceof CharSequence text && text.toString().isBlank()) {
			return "Setting " + name + " is missing";
		}
		Throwable cause = bind.getCause();
		String why = (cause != null && cause.getMessage() != null) ? rootMessage(cause) : "cannot be read";
		return "Setting " + name + " is malformed: " + why + shownValue(name, value);
	}

	private static String rootMessage(Throwable failure) {
		Throwable root = failure;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String message = (root.getMessage() != null) ? root.getMessage() : root.getClass().getSimpleName();
		// Conversion messages repeat the raw value; the line already shows it when it is
		// safe to.
		return message.lines().findFirst().orElse(message);
	}

	private static String fullName(ConfigurationPropertyName parent, String field) {
		StringBuilder dashed = new StringBuilder();
		for (char c : field.toCharArray()) {
			if (Character.isUpperCase(c)) {
				dashed.append('-').append(Character.toLowerCase(c));
			}
			else {
				dashed.append(c);
			}
		}
		String child = dashed.toString();
		if (child.startsWith(parent.toString() + ".")) {
			return child;
		}
		return parent.isEmpty() ? child : parent + "." + child;
	}

	/**
	 * An {@code @AssertTrue} check of several settings: its rejected value is just
	 * {@code false}.
	 */
	private static boolean isAssertion(ObjectError error) {
		return "AssertTrue".equals(code(error));
	}

	private static String code(ObjectError error) {
		String[] codes = error.getCodes();
		return (codes != null && codes.length > 0) ? codes[codes.length - 1] : "";
	}

	private static String reason(ObjectError error) {
		String code = code(error);
		if (code.equals("NotNull") || code.equals("NotBlank") || code.equals("NotEmpty")) {
			return "is missing";
		}
		String message = String.valueOf(error.getDefaultMessage());
		return (message.startsWith("must") || message.startsWith("is ")) ? message : "is invalid: " + message;
	}

	private static String shownValue(String name, Object value) {
		if (value == null || value instanceof Secret || SECRET_NAME.matcher(lastPart(name)).find()) {
			return "";
		}
		String text = String.valueOf(value);
		return text.isEmpty() ? " (it is empty)" : " (it is '" + text + "')";
	}

	private static String lastPart(String name) {
		int dot = name.lastIndexOf('.');
		return name.substring(dot + 1).toLowerCase(Locale.ROOT);
	}

}
