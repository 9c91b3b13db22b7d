package au.edu.unimelb.reporting.ops.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.Group;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets operators see why an outside system is DOWN in
 * {@code /actuator/health/dependencies}: a request there that carries HTTP basic
 * credentials is checked against the engine's users (settings or the directory), and an
 * operator gets the role {@value #ROLE}, which that group shows details to
 * ({@code management.endpoint.health.group.dependencies.roles}). A request without
 * credentials passes as it is and sees the statuses only; wrong credentials get 401.
 */
class OperatorHealthDetailsFilter extends OncePerRequestFilter {

	/** The role the group shows details to. */
	static final String ROLE = "operators";

	private final Supplier<IdentityService> identity;

	private final IdentityRoles roles;

	OperatorHealthDetailsFilter(Supplier<IdentityService> identity, IdentityRoles roles) {
		this.identity = identity;
		this.roles = roles;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String header = request.getHeader("Authorization");
		if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
			chain.doFilter(request, response);
			return;
		}
		String[] login = decode(header.substring(6).strip());
		IdentityService identity = this.identity.get();
		if (login == null || !identity.checkPassword(login[0], login[1])) {
			response.setHeader("WWW-Authenticate", "Basic realm=\"reporting-ops\"");
			response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
			return;
		}
		List<String> groups = identity.createGroupQuery()
			.groupMember(login[0])
			.list()
			.stream()
			.map(Group::getId)
			.toList();
		chain.doFilter(new Authenticated(request, login[0], this.roles.isOperator(groups)), response);
	}

	private static String[] decode(String encoded) {
		try {
			String text = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
			int colon = text.indexOf(':');
			return (colon > 0) ? new String[] { text.substring(0, colon), text.substring(colon + 1) } : null;
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	/** The request of a user whose password was checked. */
	static final class Authenticated extends HttpServletRequestWrapper {

		private final Principal principal;

		private final boolean operator;

		Authenticated(HttpServletRequest request, String userId, boolean operator) {
			super(request);
			this.principal = () -> userId;
			this.operator = operator;
		}

		@Override
		public Principal getUserPrincipal() {
			return this.principal;
		}

		@Override
		public String getRemoteUser() {
			return this.principal.getName();
		}

		@Override
		public boolean isUserInRole(String role) {
			return this.operator && ROLE.equals(role);
		}

	}

}
