package au.edu.unimelb.reporting.ops.compute;

import au.edu.unimelb.reporting.ops.openstack.OpenStackSessions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openstack4j.api.EndpointTokenProvider;
import org.openstack4j.api.OSClient.OSClientV3;
import org.openstack4j.api.types.ServiceType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

/**
 * A console is read only over https, or plain http to a loopback host (the test bed).
 */
class ServerConsoleTest {

	final OpenStackSessions sessions = mock(OpenStackSessions.class);

	final OSClientV3 os = mock(OSClientV3.class,
			withSettings().defaultAnswer(RETURNS_DEEP_STUBS).extraInterfaces(EndpointTokenProvider.class));

	final ServerConsole console = new ServerConsole(this.sessions);

	@ParameterizedTest
	@ValueSource(strings = { "http://nova.example:8774/v2.1", "http://127.0.0.1.nova.example:8774/v2.1",
			"http://10.0.0.5:8774/v2.1", "ftp://127.0.0.1/" })
	void refusesAComputeEndpointThatIsNotHttpsUnlessLoopback(String endpoint) {
		givenEndpoint(endpoint);
		assertThatThrownBy(() -> this.console.output("prod", "0b5c-42")).isInstanceOf(ComputeException.class)
			.hasMessageStartingWith("Refusing to read the console of server 0b5c-42 in prod")
			.hasMessageContaining("compute endpoint (" + endpoint + ") is not https");
		verify(this.os.compute().servers(), never()).getConsoleOutput(anyString(), anyInt());
	}

	@Test
	void refusesWhenTheCatalogNamesNoComputeEndpoint() {
		givenEndpoint(null);
		assertThatThrownBy(() -> this.console.output("prod", "0b5c-42")).isInstanceOf(ComputeException.class)
			.hasMessageContaining("compute endpoint (null) is not https");
	}

	@ParameterizedTest
	@ValueSource(strings = { "https://nova.example:8774/v2.1", "http://127.0.0.1:8774/v2.1",
			"http://localhost:8774/v2.1", "http://[::1]:8774/v2.1" })
	void readsTheConsoleOverHttpsOrLoopback(String endpoint) {
		givenEndpoint(endpoint);
		when(this.os.compute().servers().getConsoleOutput("0b5c-42", 0)).thenReturn("booting");
		assertThat(this.console.output("prod", "0b5c-42")).isEqualTo("booting");
	}

	private void givenEndpoint(String endpoint) {
		when(this.sessions.client("prod")).thenReturn(this.os);
		when(((EndpointTokenProvider) this.os).getEndpoint(ServiceType.COMPUTE)).thenReturn(endpoint);
	}

}
