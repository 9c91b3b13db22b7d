package au.edu.unimelb.reporting.ops.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Locale;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * A URL setting that the service trusts answers from is {@code https}, unless its host is
 * this machine (127.0.0.0/8, {@code localhost}, {@code ::1}: the loopback test bed): over
 * plain http anyone on the path could change what the cloud says. Only {@code http://}
 * URLs are checked here; whether it is a URL at all is another constraint's.
 */
@Documented
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = HttpsUnlessLoopback.Validator.class)
public @interface HttpsUnlessLoopback {

	String message() default "must be an https URL (http only for a loopback host: 127.0.0.0/8, localhost, ::1)";

	Class<?>[] groups() default {};

	Class<? extends Payload>[] payload() default {};

	/** Checks a plain-http URL's host. */
	class Validator implements ConstraintValidator<HttpsUnlessLoopback, String> {

		@Override
		public boolean isValid(String value, ConstraintValidatorContext context) {
			return value == null || !value.toLowerCase(Locale.ROOT).startsWith("http://") || SecureUrls.allows(value);
		}

	}

}
