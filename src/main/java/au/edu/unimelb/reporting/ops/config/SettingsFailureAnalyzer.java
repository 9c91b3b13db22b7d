package au.edu.unimelb.reporting.ops.config;

import java.util.List;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;

/**
 * Reports a missing or malformed setting at start as one clear line per setting instead
 * of a stack trace. Registered in {@code META-INF/spring.factories}, ahead of Spring
 * Boot's own analyzers.
 */
class SettingsFailureAnalyzer implements FailureAnalyzer, Ordered {

	@Override
	public int getOrder() {
		// Ahead of Spring Boot's own analyzers, which print several lines and the raw
		// value.
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public FailureAnalysis analyze(Throwable failure) {
		return SettingsErrors.describe(failure).map(SettingsFailureAnalyzer::analysis).orElse(null);
	}

	private static FailureAnalysis analysis(List<String> lines) {
		return new FailureAnalysis(String.join(System.lineSeparator(), lines),
				"Set it through the environment (for example OPS_SECURITY_ADMIN_PASSWORD for "
						+ "ops.security.admin-password) or a secrets file; README.md, section Configuration, lists "
						+ "every setting.",
				null);
	}

}
