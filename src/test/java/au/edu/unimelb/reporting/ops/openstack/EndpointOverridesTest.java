package au.edu.unimelb.reporting.ops.openstack;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EndpointOverridesTest {

	@Test
	void keepsTheCatalogsPathAndQueryAndTakesTheOverridesSchemeHostAndPort() {
		assertThat(EndpointOverrides.rebase("http://10.0.0.5:8004/v1/abc%2Fd", "https://heat.internal:9004"))
			.isEqualTo("https://heat.internal:9004/v1/abc%2Fd");
		assertThat(EndpointOverrides.rebase("http://10.0.0.5:8774/v2.1?x=1", "http://127.0.0.1:4321/"))
			.isEqualTo("http://127.0.0.1:4321/v2.1?x=1");
		assertThat(EndpointOverrides.rebase("http://10.0.0.5/", "https://[::1]:8443")).isEqualTo("https://[::1]:8443/");
	}

}
