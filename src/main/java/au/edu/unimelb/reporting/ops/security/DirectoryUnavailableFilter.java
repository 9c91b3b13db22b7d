package au.edu.unimelb.reporting.ops.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers a request whose login could not be checked because the directory is down with
 * 503 and a message that says so, instead of a bare 500 and a stack trace in the log. It
 * wraps the REST API's basic authentication, which checks passwords outside the REST
 * layer's own error handling.
 */
class DirectoryUnavailableFilter extends OncePerRequestFilter {

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		try {
			chain.doFilter(request, response);
		}
		catch (DirectoryUnavailableException ex) {
			refuse(response, ex);
		}
		catch (ServletException ex) {
			if (!(ex.getRootCause() instanceof DirectoryUnavailableException down)) {
				throw ex;
			}
			refuse(response, down);
		}
	}

	private static void refuse(HttpServletResponse response, DirectoryUnavailableException ex) throws IOException {
		if (response.isCommitted()) {
			return;
		}
		response.reset();
		response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
		response.setContentType("application/json");
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		response.getWriter()
			.write("{\"type\":\"DirectoryUnavailable\",\"message\":\"" + ex.getMessage().replace("\"", "'") + "\"}");
	}

}
