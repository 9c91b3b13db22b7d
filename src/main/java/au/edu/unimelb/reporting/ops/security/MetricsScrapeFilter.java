package au.edu.unimelb.reporting.ops.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.function.Supplier;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.camunda.bpm.engine.IdentityService;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The login of {@code /actuator/prometheus}: the scrape's own credential
 * ({@link MetricsScrapeSettings}) is checked here, in constant time, and never reaches
 * the engine's users or the directory; any other login is checked against the engine's
 * users (settings or the directory). No login, or a wrong one, gets 401.
 */
class MetricsScrapeFilter extends OncePerRequestFilter {

	private final MetricsScrapeSettings settings;

	private final Supplier<IdentityService> identity;

	MetricsScrapeFilter(MetricsScrapeSettings settings, Supplier<IdentityService> identity) {
		this.settings = settings;
		this.identity = identity;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String[] login = login(request.getHeader("Authorization"));
		if (login != null && allowed(login[0], login[1])) {
			chain.doFilter(request, response);
			return;
		}
		response.setHeader("WWW-Authenticate", "Basic realm=\"reporting-ops\"");
		response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
	}

	private boolean allowed(String user, String password) {
		if (this.settings.scrapePassword() != null && this.settings.scrapeId().equals(user)) {
			return MessageDigest.isEqual(password.getBytes(StandardCharsets.UTF_8),
					this.settings.scrapePassword().reveal().getBytes(StandardCharsets.UTF_8));
		}
		return !password.isEmpty() && this.identity.get().checkPassword(user, password);
	}

	/** The user and password of an HTTP basic header, or {@code null}. */
	static String[] login(String header) {
		if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
			return null;
		}
		try {
			String text = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
			int colon = text.indexOf(':');
			return (colon > 0) ? new String[] { text.substring(0, colon), text.substring(colon + 1) } : null;
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

}
