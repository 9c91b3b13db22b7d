package au.edu.unimelb.reporting.ops.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * A {@link Secret} setting, when given, is not empty: an empty environment variable is a
 * mistake, not a password. {@code null} is valid; combine with {@code @NotNull} for a
 * required secret.
 */
@Documented
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = NotBlankSecret.Validator.class)
public @interface NotBlankSecret {

	String message() default "is empty";

	Class<?>[] groups() default {};

	Class<? extends Payload>[] payload() default {};

	/** Checks a secret without ever reading it into a message. */
	class Validator implements ConstraintValidator<NotBlankSecret, Secret> {

		@Override
		public boolean isValid(Secret value, ConstraintValidatorContext context) {
			return value == null || !value.isBlank();
		}

	}

}
