package au.edu.unimelb.reporting.ops.heat;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import au.edu.unimelb.reporting.ops.openstack.OpenStackSessions;
import org.junit.jupiter.api.Test;
import org.openstack4j.api.EndpointTokenProvider;
import org.openstack4j.api.exceptions.AuthenticationException;
import org.openstack4j.api.exceptions.ConnectionException;
import org.openstack4j.api.OSClient.OSClientV3;
import org.openstack4j.api.types.ServiceType;
import org.openstack4j.model.heat.Stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

/**
 * Which existing stack a create adopts, and which numbers allocation counts, with Heat's
 * answers mocked (HeatStacksIT has the real Heat).
 */
class HeatStacksTest {

	static final String RUN = "6f1c2a8e-0b5c-11f1-9d5e-0242ac120002";

	final OpenStackSessions sessions = mock(OpenStackSessions.class);

	final OSClientV3 os = mock(OSClientV3.class,
			withSettings().defaultAnswer(RETURNS_DEEP_STUBS).extraInterfaces(EndpointTokenProvider.class));

	final HeatStacks heat = new HeatStacks(this.sessions);

	@Test
	void refusesToAdoptAnUntaggedStackSomeoneElseMadeUnderTheNextName() {
		givenClient();
		givenExisting(stack("reporting_prod_43", "attacker-stack-id", List.of()));

		assertThatThrownBy(() -> this.heat.create("prod", request("reporting_prod_43", RUN)))
			.isInstanceOf(HeatException.class)
			.hasMessageStartingWith("A stack named reporting_prod_43 exists that this run did not create")
			.hasMessageContaining("refusing to adopt it");
		verify(this.os.heat().stacks(), never()).create(any());
		verify(this.os.heat().stacks(), never()).delete(anyString(), anyString());
	}

	@Test
	void refusesToAdoptAStackOfThisServiceThatAnotherRunMade() {
		givenClient();
		givenExisting(stack("reporting_prod_43", "other-run-id", HeatStacks.stackTags("prod", "another-run")));

		assertThatThrownBy(() -> this.heat.create("prod", request("reporting_prod_43", RUN)))
			.hasMessageContaining("this run did not create");
		verify(this.os.heat().stacks(), never()).create(any());
	}

	@Test
	void adoptsTheStackAnEarlierTryOfThisRunMade() {
		givenClient();
		givenExisting(stack("reporting_prod_43", "our-stack-id", HeatStacks.stackTags("prod", RUN)));

		assertThat(this.heat.create("prod", request("reporting_prod_43", RUN)))
			.isEqualTo(new StackRef("reporting_prod_43", "our-stack-id"));
		verify(this.os.heat().stacks(), never()).create(any());
	}

	@Test
	void refusesARequestWithoutARunTag() {
		StackRequest untagged = new StackRequest("reporting_prod_43", template(), Map.of(),
				List.of("reporting-ops", "env-prod"), 30);
		assertThatThrownBy(() -> this.heat.create("prod", untagged)).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("no run tag");
	}

	@Test
	void allocationCountsStacksWithThePrefixThatCarryNoTag() {
		givenClient();
		when(this.os.heat().stacks().list())
			.thenAnswer((invocation) -> List.of(stack("reporting_prod_42", "ours", HeatStacks.stackTags("prod", "r1")),
					stack("reporting_prod_43", "foreign", List.of()), stack("reporting_qa_99", "qa", List.of()),
					stack("reporting_prod_x", "odd", List.of())));
		assertThat(this.heat.highestNumber("prod", "reporting_prod_")).isEqualTo(43);
	}

	@Test
	void makesARunTagThatHeatAccepts() {
		assertThat(HeatStacks.runTag(RUN)).isEqualTo("run-" + RUN);
		assertThat(HeatStacks.runTag("a,b/c d")).isEqualTo("run-a-b-c-d");
		assertThat(HeatStacks.runTag("x".repeat(200))).hasSize(80);
	}

	@Test
	void refusesAPlainHttpHeatEndpointThatIsNotLoopback() {
		givenClient("http://heat.example:8004/v1/p");
		assertThatThrownBy(() -> this.heat.find("prod", "reporting_prod_43")).isInstanceOf(HeatException.class)
			.hasMessageContaining("orchestration endpoint (http://heat.example:8004/v1/p) is not https");
		verify(this.os.heat().stacks(), never()).list(any(Map.class));
	}

	@Test
	void aPingThatTimesOutLeavesTheSharedTokenToTheOthers() {
		givenPingClient();
		when(this.os.heat().stacks().list(any(Map.class)))
			.thenThrow(new ConnectionException("Read timed out", 0, new SocketTimeoutException("Read timed out")));

		assertThatThrownBy(() -> this.heat.ping("prod", Duration.ofSeconds(1))).isInstanceOf(HeatException.class)
			.hasMessageContaining("did not answer");
		verify(this.sessions, never()).forget(anyString());
		verify(this.sessions, never()).forget(anyString(), any());
	}

	@Test
	void aPingThatHeatRefusesWith401DropsTheTokenItUsedOnly() {
		givenPingClient();
		when(this.os.heat().stacks().list(any(Map.class)))
			.thenThrow(new AuthenticationException("Authentication failed", 401));

		assertThatThrownBy(() -> this.heat.ping("prod", Duration.ofSeconds(1))).isInstanceOf(HeatException.class);
		verify(this.sessions).forget("prod", this.os);
		verify(this.sessions, never()).forget(anyString());
	}

	private void givenClient() {
		givenClient("http://127.0.0.1:8004/v1/p");
	}

	private void givenPingClient() {
		when(this.sessions.client("prod", Duration.ofSeconds(1))).thenReturn(this.os);
		when(((EndpointTokenProvider) this.os).getEndpoint(ServiceType.ORCHESTRATION))
			.thenReturn("http://127.0.0.1:8004/v1/p");
	}

	private void givenClient(String endpoint) {
		when(this.sessions.client("prod")).thenReturn(this.os);
		when(((EndpointTokenProvider) this.os).getEndpoint(ServiceType.ORCHESTRATION)).thenReturn(endpoint);
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private void givenExisting(Stack stack) {
		when(this.os.heat().stacks().list(any(Map.class))).thenAnswer((invocation) -> {
			Map<String, String> filter = invocation.getArgument(0);
			return stack.getName().equals(filter.get("name")) ? (List) List.of(stack) : (List) List.of();
		});
		when(this.os.heat().stacks().getDetails(stack.getName(), stack.getId())).thenAnswer((invocation) -> stack);
	}

	private static Stack stack(String name, String id, List<String> tags) {
		Stack stack = mock(Stack.class);
		when(stack.getName()).thenReturn(name);
		when(stack.getId()).thenReturn(id);
		when(stack.getTags()).thenReturn(tags);
		when(stack.getStatus()).thenReturn("CREATE_COMPLETE");
		return stack;
	}

	private static StackRequest request(String name, String runId) {
		return new StackRequest(name, template(), Map.of(), HeatStacks.stackTags("prod", runId), 30);
	}

	private static HeatTemplate template() {
		return new HeatTemplate("app-server.yaml", "heat_template_version: 2018-08-31", null, Map.of());
	}

}
