package au.edu.unimelb.reporting.ops.dependencies;

import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the outside systems are checked for {@code /actuator/health/dependencies}
 * ({@code ops.dependencies.*}).
 *
 * @param timeout the longest a check may take: a check that has not answered by then is
 * DOWN, and the request that asked does not wait longer
 * @param cacheFor how long a check's result is reused before the next request checks
 * again, so that frequent polling does not hammer Keystone, Heat, Swift or the web fronts
 */
@Validated
@ConfigurationProperties("ops.dependencies")
public record DependencySettings(@DefaultValue("PT1S") @NotNull Duration timeout,
		@DefaultValue("PT15S") @NotNull Duration cacheFor) {

	@AssertTrue(message = "must be between 100 milliseconds and 5 seconds")
	boolean isTimeout() {
		return this.timeout == null || (this.timeout.compareTo(Duration.ofMillis(100)) >= 0
				&& this.timeout.compareTo(Duration.ofSeconds(5)) <= 0);
	}

	@AssertTrue(message = "must be between 1 second and 10 minutes")
	boolean isCacheFor() {
		return this.cacheFor == null || (this.cacheFor.compareTo(Duration.ofSeconds(1)) >= 0
				&& this.cacheFor.compareTo(Duration.ofMinutes(10)) <= 0);
	}

}
