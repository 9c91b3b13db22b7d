package au.edu.unimelb.reporting.ops.heat;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

import au.edu.unimelb.reporting.ops.config.SecureUrls;
import au.edu.unimelb.reporting.ops.openstack.OpenStackSessions;
import org.openstack4j.api.OSClient.OSClientV3;
import org.openstack4j.api.exceptions.ResponseException;
import org.openstack4j.api.types.ServiceType;
import org.openstack4j.model.common.ActionResponse;
import org.openstack4j.model.heat.Stack;
import org.openstack4j.model.heat.StackCreate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The one facade over OpenStack Heat (orchestration v1), per environment, through the
 * environment's Keystone session ({@link OpenStackSessions}: a token per environment, a
 * client per call on the calling thread, a connect and a read timeout on every call).
 */
@Component
public class HeatStacks {

	private static final Logger log = LoggerFactory.getLogger(HeatStacks.class);

	/** The tag every stack this service creates carries. */
	public static final String SERVICE_TAG = "reporting-ops";

	static final String RUN_TAG_PREFIX = "run-";

	/** Heat refuses longer tags. */
	static final int MAX_TAG_LENGTH = 80;

	private final OpenStackSessions sessions;

	public HeatStacks(OpenStackSessions sessions) {
		this.sessions = sessions;
	}

	/**
	 * Creates a stack ({@code POST /v1/{project}/stacks}), or finds the one an earlier
	 * try of the same run already made under the same name, so that repeating the step
	 * after a crash never makes a second stack.
	 *
	 * <p>
	 * A stack of that name is adopted only when it carries every tag of the request,
	 * among them the run's own ({@link #runTag}): then this run made it. Anyone in the
	 * project can make a stack of any name, and the new server gets the database
	 * password; so a stack this run did not make is refused, never adopted and never
	 * deleted (it is not ours).
	 * @param environment {@code qa} or {@code prod}
	 * @param request the stack to create; its tags must include a run tag
	 * @return the stack
	 * @throws HeatException when Heat fails, or a stack of that name exists that this run
	 * did not create
	 */
	public StackRef create(String environment, StackRequest request) {
		if (request.tags().stream().noneMatch((tag) -> tag.startsWith(RUN_TAG_PREFIX))) {
			throw new IllegalArgumentException("Stack request " + request.name() + " has no run tag (" + RUN_TAG_PREFIX
					+ "...): without it, another run's stack could be adopted");
		}
		Optional<StackRef> existing = find(environment, request.name());
		StackState state = existing.isPresent() ? get(environment, existing.get()) : null;
		if (state != null && state.status() != StackStatus.GONE) {
			if (!state.tags().containsAll(request.tags())) {
				throw new HeatException("A stack named " + request.name() + " exists that this run did not create "
						+ "(id " + existing.get().id() + ", tags " + state.tags() + "; this run's tags are "
						+ request.tags() + "): refusing to adopt it, so it gets no secret. Find out who made it; "
						+ "once it is gone, retry this step, or cancel this run and deploy again (the next run "
						+ "takes a higher number)");
			}
			log.info("Stack {} already exists (id {}), made by this run's earlier try: not created again",
					request.name(), existing.get().id());
			return existing.get();
		}
		HeatTemplate template = request.template();
		var builder = org.openstack4j.api.Builders.stack()
			.name(request.name())
			.template(template.body())
			.parameters(request.parameters())
			.timeoutMins(request.timeoutMinutes())
			.disableRollback(true)
			.tags(String.join(",", request.tags()));
		if (template.environment() != null) {
			builder.environment(template.environment()).files(template.files());
		}
		StackCreate create = builder.build();
		Stack stack = call(environment, "POST /stacks (" + request.name() + ")",
				(os) -> os.heat().stacks().create(create));
		if (stack == null || stack.getId() == null) {
			throw new HeatException("Heat did not create stack " + request.name() + " (no id in the answer)");
		}
		return new StackRef(request.name(), stack.getId());
	}

	/**
	 * Reads a stack's status and outputs ({@code GET /v1/{project}/stacks/{name}/{id}}).
	 * @return its state; {@link StackStatus#GONE} when it does not exist or was deleted
	 */
	public StackState get(String environment, StackRef ref) {
		Stack stack = call(environment, "GET /stacks/" + ref.name() + "/" + ref.id(),
				(os) -> os.heat().stacks().getDetails(ref.name(), ref.id()));
		if (stack == null) {
			return new StackState(ref, StackStatus.GONE, "", Map.of(), List.of());
		}
		StackStatus status = StackStatus.of(stack.getStatus());
		if (status == StackStatus.DELETE_COMPLETE) {
			status = StackStatus.GONE;
		}
		return new StackState(ref, status, Objects.toString(stack.getStackStatusReason(), ""), outputs(stack),
				(stack.getTags() != null) ? List.copyOf(stack.getTags()) : List.of());
	}

	/**
	 * Finds a stack by its exact name ({@code GET /v1/{project}/stacks?name=}).
	 */
	public Optional<StackRef> find(String environment, String name) {
		List<? extends Stack> stacks = call(environment, "GET /stacks?name=" + name,
				(os) -> os.heat().stacks().list(Map.of("name", name)));
		return stacks.stream()
			.filter((stack) -> name.equals(stack.getName()))
			.map((stack) -> new StackRef(stack.getName(), stack.getId()))
			.findFirst();
	}

	/**
	 * Lists the stacks whose name is the prefix followed by a number, with their status
	 * (no outputs), oldest first (Heat cannot filter by prefix, so the names are filtered
	 * here: {@code GET /v1/{project}/stacks}).
	 */
	public List<StackState> listNumbered(String environment, String prefix) {
		String tag = environmentTag(environment);
		List<? extends Stack> stacks = call(environment, "GET /stacks?tags=" + tag,
				(os) -> os.heat().stacks().list(Map.of("tags", tag)));
		return stacks.stream()
			.filter((stack) -> StackNames.numberOf(prefix, stack.getName()).isPresent())
			.map((stack) -> new StackState(new StackRef(stack.getName(), stack.getId()),
					StackStatus.of(stack.getStatus()), Objects.toString(stack.getStackStatusReason(), ""), Map.of(),
					List.of()))
			.sorted(Comparator
				.comparingLong((StackState state) -> StackNames.numberOf(prefix, state.ref().name()).getAsLong()))
			.toList();
	}

	/**
	 * Finds the highest number after the prefix among all the project's stacks, tagged or
	 * not ({@code GET /v1/{project}/stacks}; Heat filters names exactly, so the prefix is
	 * matched here): a number that anyone already used, even in a stack this service did
	 * not make, is never allocated again.
	 * @return the highest number, or 0 when no stack has the prefix
	 */
	public long highestNumber(String environment, String prefix) {
		List<? extends Stack> stacks = call(environment, "GET /stacks", (os) -> os.heat().stacks().list());
		return stacks.stream()
			.map((stack) -> StackNames.numberOf(prefix, stack.getName()))
			.filter(OptionalLong::isPresent)
			.mapToLong(OptionalLong::getAsLong)
			.max()
			.orElse(0);
	}

	/**
	 * Checks that the environment's Keystone gives a token and its Heat answers an
	 * authenticated call, within a timeout: the cheapest listing ({@code GET
	 * /v1/{project}/stacks?limit=1}), through the environment's token (fetched first when
	 * there is none: {@link OpenStackSessions#client(String, java.time.Duration)}, which
	 * never waits for a deploy that renews the token, nor makes one wait). A ping changes
	 * the shared token only when Heat refuses it (401): then it drops that token, unless
	 * another caller has renewed it since. A ping that times out or fails otherwise
	 * leaves it to the deploys: a slow Heat says nothing about the token.
	 * @param environment {@code qa} or {@code prod}
	 * @param timeout the connect and read timeout of each HTTP call
	 * @throws HeatException when Keystone or Heat did not answer, or refused
	 */
	public void ping(String environment, java.time.Duration timeout) {
		OSClientV3 os = null;
		try {
			os = this.sessions.client(environment, timeout);
			String endpoint = OpenStackSessions.endpoint(os, ServiceType.ORCHESTRATION);
			if (!SecureUrls.allows(endpoint)) {
				throw new HeatException("the catalog's orchestration endpoint (" + endpoint + ") is not https");
			}
			os.heat().stacks().list(Map.of("limit", "1"));
		}
		catch (HeatException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			if (os != null && ex instanceof ResponseException refused && refused.getStatus() == 401) {
				this.sessions.forget(environment, os);
			}
			throw new HeatException("Keystone or Heat of " + environment + " did not answer: "
					+ ex.getClass().getSimpleName() + ((ex.getMessage() != null) ? " " + ex.getMessage() : ""), ex);
		}
	}

	/**
	 * @return the tag every stack of the environment carries ({@code env-qa})
	 */
	public static String environmentTag(String environment) {
		return "env-" + environment;
	}

	/**
	 * The tag of the stacks one run creates ({@code run-<id>}): a run adopts an existing
	 * stack only when it carries this tag. Heat's tags are split at commas and at most 80
	 * characters; anything but letters, digits, {@code . _ -} becomes {@code -}.
	 * @param runId the process instance's id
	 * @return the tag
	 */
	public static String runTag(String runId) {
		if (runId == null || runId.isBlank()) {
			throw new IllegalArgumentException("A run tag needs the run's id");
		}
		String tag = RUN_TAG_PREFIX + runId.replaceAll("[^A-Za-z0-9._-]", "-");
		return (tag.length() > MAX_TAG_LENGTH) ? tag.substring(0, MAX_TAG_LENGTH) : tag;
	}

	/**
	 * The tags of a stack that one run creates in an environment.
	 * @return {@code reporting-ops}, {@code env-<environment>}, {@code run-<runId>}
	 */
	public static List<String> stackTags(String environment, String runId) {
		return List.of(SERVICE_TAG, environmentTag(environment), runTag(runId));
	}

	/**
	 * Starts deleting a stack ({@code DELETE /v1/{project}/stacks/{name}/{id}}); a stack
	 * already gone is fine.
	 */
	public void delete(String environment, StackRef ref) {
		ActionResponse response = call(environment, "DELETE /stacks/" + ref.name() + "/" + ref.id(),
				(os) -> os.heat().stacks().delete(ref.name(), ref.id()));
		if (response != null && !response.isSuccess() && response.getCode() != 404) {
			throw new HeatException("Heat refused to delete stack " + ref.name() + ": HTTP " + response.getCode() + " "
					+ response.getFault());
		}
	}

	private <T> T call(String environment, String what, java.util.function.Function<OSClientV3, T> call) {
		try {
			OSClientV3 os = this.sessions.client(environment);
			String endpoint = OpenStackSessions.endpoint(os, ServiceType.ORCHESTRATION);
			if (!SecureUrls.allows(endpoint)) {
				// The stack's outputs name the server that gets the database password.
				throw new HeatException("Refusing Heat call " + what + " for " + environment
						+ ": the catalog's orchestration endpoint (" + endpoint + ") is not https, and only a "
						+ "loopback host may be plain http");
			}
			return call.apply(os);
		}
		catch (HeatException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			// openstack4j reports refused connections, timeouts, 4xx and 5xx as unchecked
			// exceptions of its own.
			// A 401 may mean the token was revoked: authenticate afresh on the next try.
			this.sessions.forget(environment);
			throw new HeatException("Heat call " + what + " for " + environment + " failed", ex);
		}
	}

	private static Map<String, String> outputs(Stack stack) {
		Map<String, String> outputs = new LinkedHashMap<>();
		if (stack.getOutputs() != null) {
			for (Map<String, Object> output : stack.getOutputs()) {
				Object key = output.get("output_key");
				if (key != null) {
					outputs.put(key.toString(), Objects.toString(output.get("output_value"), null));
				}
			}
		}
		return outputs;
	}

}
