package au.edu.unimelb.reporting.ops.security;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletRequest;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.GroupQuery;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

class OperatorHealthDetailsFilterTest {

	/** op's password is op-pw, she is an operator; tess's is tess-pw, a tester. */
	private final OperatorHealthDetailsFilter filter = new OperatorHealthDetailsFilter(
			() -> identity(Map.of("op", "op-pw", "tess", "tess-pw"), Map.of("op", "camunda-admin", "tess", "testers")),
			IdentityRoles.CONFIGURED);

	@Test
	void anOperatorWhoLogsInHasTheRoleThatSeesDetails() throws Exception {
		HttpServletRequest passed = run(login("op", "op-pw"), 200);
		assertThat(passed.getUserPrincipal().getName()).isEqualTo("op");
		assertThat(passed.isUserInRole("operators")).isTrue();
	}

	@Test
	void aTesterWhoLogsInDoesNot() throws Exception {
		HttpServletRequest passed = run(login("tess", "tess-pw"), 200);
		assertThat(passed.getUserPrincipal()).isNotNull();
		assertThat(passed.isUserInRole("operators")).isFalse();
	}

	@Test
	void noLoginPassesAsItIs() throws Exception {
		HttpServletRequest passed = run(new MockHttpServletRequest("GET", "/actuator/health/dependencies"), 200);
		assertThat(passed.getUserPrincipal()).isNull();
		assertThat(passed.isUserInRole("operators")).isFalse();
	}

	@Test
	void aWrongPasswordIsRefused() throws Exception {
		assertThat(run(login("op", "guess"), 401)).isNull();
		MockHttpServletRequest garbled = new MockHttpServletRequest("GET", "/actuator/health/dependencies");
		garbled.addHeader("Authorization", "Basic %%%");
		assertThat(run(garbled, 401)).isNull();
	}

	private HttpServletRequest run(MockHttpServletRequest request, int status) throws Exception {
		AtomicReference<ServletRequest> passed = new AtomicReference<>();
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.filter.doFilter(request, response, (req, res) -> passed.set(req));
		assertThat(response.getStatus()).isEqualTo(status);
		return (HttpServletRequest) passed.get();
	}

	private static MockHttpServletRequest login(String user, String password) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/actuator/health/dependencies");
		request.addHeader("Authorization", "Basic "
				+ Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
		return request;
	}

	/** The two calls the filter makes of the engine's identity service, and no other. */
	private static IdentityService identity(Map<String, String> passwords, Map<String, String> groupOf) {
		return proxy(IdentityService.class, (method, args) -> switch (method) {
			case "checkPassword" -> args[1].equals(passwords.get((String) args[0]));
			case "createGroupQuery" -> groupQuery(groupOf);
			default -> throw new UnsupportedOperationException(method);
		});
	}

	private static GroupQuery groupQuery(Map<String, String> groupOf) {
		AtomicReference<String> member = new AtomicReference<>();
		return proxy(GroupQuery.class, (method, args) -> switch (method) {
			case "groupMember" -> {
				member.set((String) args[0]);
				yield groupQuery(groupOf, member);
			}
			default -> throw new UnsupportedOperationException(method);
		});
	}

	private static GroupQuery groupQuery(Map<String, String> groupOf, AtomicReference<String> member) {
		return proxy(GroupQuery.class, (method, args) -> switch (method) {
			case "list" -> List.of(proxy(Group.class, (m, a) -> switch (m) {
				case "getId" -> groupOf.get(member.get());
				default -> throw new UnsupportedOperationException(m);
			}));
			default -> throw new UnsupportedOperationException(method);
		});
	}

	@SuppressWarnings("unchecked")
	private static <T> T proxy(Class<T> type, Answer answer) {
		return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type },
				(self, method, args) -> answer.call(method.getName(), args));
	}

	private interface Answer {

		Object call(String method, Object[] args);

	}

}
