package au.edu.unimelb.reporting.ops.security;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import au.edu.unimelb.reporting.ops.config.Secret;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

class MetricsScrapeFilterTest {

	static final String SCRAPE_PASSWORD = "scrape-pw-0123456789";

	final IdentityService identity = mock(IdentityService.class);

	@Test
	void theScrapesOwnLoginIsCheckedByTheServiceAloneNeverByTheDirectory() throws Exception {
		MetricsScrapeFilter filter = filter(Secret.of(SCRAPE_PASSWORD));

		assertThat(status(filter, basic("prometheus", SCRAPE_PASSWORD))).isEqualTo(200);
		assertThat(status(filter, basic("prometheus", "wrong"))).isEqualTo(401);
		assertThat(status(filter, basic("prometheus", SCRAPE_PASSWORD + "x"))).isEqualTo(401);
		assertThat(status(filter, basic("prometheus", ""))).isEqualTo(401);
		verifyNoInteractions(this.identity);
	}

	@Test
	void anyOtherLoginIsAnEngineUsersAndNoLoginIsRefused() throws Exception {
		when(this.identity.checkPassword("jenkins", "jenkins-pw")).thenReturn(true);
		MetricsScrapeFilter filter = filter(Secret.of(SCRAPE_PASSWORD));

		assertThat(status(filter, basic("jenkins", "jenkins-pw"))).isEqualTo(200);
		assertThat(status(filter, basic("jenkins", "nope"))).isEqualTo(401);
		assertThat(status(filter, null)).isEqualTo(401);
		assertThat(status(filter, "Bearer x")).isEqualTo(401);
		assertThat(status(filter, "Basic !!!")).isEqualTo(401);
	}

	@Test
	void withoutAScrapePasswordTheScrapeIdIsAnEngineUserLikeAnyOther() throws Exception {
		when(this.identity.checkPassword("prometheus", "engine-pw")).thenReturn(true);
		MetricsScrapeFilter filter = filter(null);

		assertThat(status(filter, basic("prometheus", "engine-pw"))).isEqualTo(200);
		assertThat(status(filter, basic("prometheus", ""))).isEqualTo(401);
	}

	private MetricsScrapeFilter filter(Secret password) {
		return new MetricsScrapeFilter(new MetricsScrapeSettings("prometheus", password), () -> this.identity);
	}

	private static int status(MetricsScrapeFilter filter, String authorization) throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/actuator/prometheus");
		if (authorization != null) {
			request.addHeader("Authorization", authorization);
		}
		MockHttpServletResponse response = new MockHttpServletResponse();
		MockFilterChain chain = new MockFilterChain();
		filter.doFilter(request, response, chain);
		if (chain.getRequest() == null) {
			assertThat(response.getHeader("WWW-Authenticate")).startsWith("Basic");
		}
		return (chain.getRequest() != null) ? 200 : response.getStatus();
	}

	private static String basic(String user, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

}
