package au.edu.unimelb.reporting.ops.deploy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings.EnvironmentSettings;
import au.edu.unimelb.reporting.ops.engine.RequestRefusedException;
import au.edu.unimelb.reporting.ops.heat.HeatStacks;
import au.edu.unimelb.reporting.ops.heat.HeatTemplate;
import au.edu.unimelb.reporting.ops.heat.HeatTemplates;
import au.edu.unimelb.reporting.ops.heat.StackNames;
import au.edu.unimelb.reporting.ops.heat.StackRef;
import au.edu.unimelb.reporting.ops.heat.StackRequest;
import au.edu.unimelb.reporting.ops.heat.StackState;
import au.edu.unimelb.reporting.ops.heat.StackStatus;
import au.edu.unimelb.reporting.ops.lock.Locks;
import au.edu.unimelb.reporting.ops.webfront.SwitchResult;
import au.edu.unimelb.reporting.ops.webfront.WebFrontSwitch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;

/**
 * What deploy-replace does, step by step, and the steps rollback shares with it (check
 * the stack and the server, switch, finish); their delegates only move variables in and
 * out. A new server's host keys and secrets are {@link NewServerSecrets}', the health
 * checks before and after the switch {@link HealthChecks}', retiring old stacks
 * {@link StackRetirement}'s, finding the way back {@link Rollbacks}'.
 */
@Service
public class DeployService {

	private static final Logger log = LoggerFactory.getLogger(DeployService.class);

	/**
	 * A build reference: a version, tag or commit; no spaces, quotes or shell
	 * metacharacters.
	 */
	static final Pattern BUILD = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

	private final DeployEnvironments environments;

	private final DeploySettings settings;

	private final HeatStacks heat;

	private final HeatTemplates templates;

	private final WebFrontSwitch webFront;

	private final Locks locks;

	private final DeploymentRecords records;

	private final ReleaseApprovals releases;

	public DeployService(DeployEnvironments environments, DeploySettings settings, HeatStacks heat,
			HeatTemplates templates, WebFrontSwitch webFront, Locks locks, DeploymentRecords records,
			ReleaseApprovals releases) {
		this.environments = environments;
		this.settings = settings;
		this.heat = heat;
		this.templates = templates;
		this.webFront = webFront;
		this.locks = locks;
		this.records = records;
		this.releases = releases;
	}

	public DeploySettings settings() {
		return this.settings;
	}

	/**
	 * Checks a deploy request, decides under what authority it runs
	 * ({@link DeployOrigin}) and takes the environment's lock, in the transaction that
	 * starts the run: a refused request starts nothing and records nothing.
	 * @throws RequestRefusedException bad input (400), a caller who may not (403), or
	 * another run in the environment or a release without approval (409)
	 */
	public DeployOrigin acceptDeploy(DeployRequest request) {
		DeployEnvironments.requireKnownName(request.environment());
		requireBuild(request.build());
		this.environments.environment(request.environment());
		DeployOrigin origin = DeployOrigin.of(request, this.releases);
		this.environments.lock(request.runId(), request.environment(), origin.startedBy());
		this.records.start(request.runId(), "DEPLOY", request.environment(), request.build(), origin.startedBy());
		this.records.origin(request.runId(), origin);
		log.info("Deploy {} of build {} to {} accepted (started by {}{})", request.runId(), request.build(),
				request.environment(), origin.startedBy(),
				DeployOrigin.UAT_SKIPPED.equals(origin.uat()) ? ", UAT skipped: " + origin.reason() : "");
		return origin;
	}

	/**
	 * Picks the next stack name, prefix + number, above every stack of the project with
	 * the prefix (this service's or not) and every number used before.
	 */
	public String allocateStackName(String environment) {
		String prefix = environment(environment).stack().prefix();
		long highest = this.heat.highestNumber(environment, prefix);
		return StackNames.name(prefix, this.locks.next("stack-number:" + environment, highest + 1));
	}

	/**
	 * Creates the stack (or finds the one an earlier try of this step made) and records
	 * it. The stack is tagged with the run's id, so that a stack of the same name that
	 * this run did not make is refused, not adopted ({@link HeatStacks#create}).
	 */
	public StackRef createStack(String runId, String environment, String stackName, String build) {
		EnvironmentSettings settings = environment(environment);
		HeatTemplate template = this.templates.load(settings.stack().template(), settings.stack().environmentFile());
		// The settings give the cloud's parameters (image, flavor, key, network, CIDRs,
		// artifact URL); the service adds
		// the build, the app's port and the database's non-secret settings. The database
		// password is never a
		// stack parameter.
		Map<String, String> parameters = new HashMap<>(settings.stack().parameters());
		parameters.put("build", build);
		parameters.put("http_port", Integer.toString(settings.healthPort()));
		parameters.put("db_host", settings.database().host());
		parameters.put("db_port", Integer.toString(settings.database().port()));
		parameters.put("db_name", settings.database().name());
		parameters.put("db_user", settings.database().user());
		parameters.put("app_user", settings.appServer().user());
		StackRequest request = new StackRequest(stackName, template, parameters,
				HeatStacks.stackTags(environment, runId), settings.stack().createTimeoutMinutes());
		StackRef ref = this.heat.create(environment, request);
		this.records.stack(runId, ref.name(), ref.id(), template.sha256());
		return ref;
	}

	public Instant stackDeadline(String environment) {
		return Instant.now().plus(Duration.ofMinutes(environment(environment).stack().createTimeoutMinutes()));
	}

	/**
	 * Reads the new stack: ready (with the server's address), still pending, or failed
	 * (with Heat's reason, or because its deadline passed).
	 */
	public Check checkStack(String runId, String environment, StackRef ref, Instant deadline) {
		StackState state = this.heat.get(environment, ref);
		if (state.status() == StackStatus.CREATE_COMPLETE) {
			String ip = state.output("instance_ip");
			if (ip == null || ip.isBlank()) {
				return Check.failed("Stack " + ref.name() + " is complete but has no output instance_ip");
			}
			String address = ip + ":" + environment(environment).healthPort();
			this.records.address(runId, address);
			return Check.readyServer(address, state.output("server_id"));
		}
		if (state.status().isFailed() || state.status() == StackStatus.GONE) {
			return Check.failed("Stack " + ref.name() + " is " + state.status() + ": " + state.reason());
		}
		if (Instant.now().isAfter(deadline)) {
			return Check.failed("Stack " + ref.name() + " did not complete by its deadline " + deadline + " (still "
					+ state.status() + ")");
		}
		return Check.PENDING;
	}

	/**
	 * Points the web front at the new server; the result says which address it served
	 * before.
	 */
	public SwitchResult switchTo(String runId, String environment, String address) {
		SwitchResult result = this.webFront.switchTo(environment, address);
		this.records.switched(runId, result.previous());
		log.info("Web front {}: {} -> {}{}", environment, result.previous(), result.current(),
				result.changed() ? "" : " (already there)");
		return result;
	}

	/**
	 * Points the web front back at the address it served before the switch.
	 */
	public void switchBack(String runId, String environment, String previousAddress) {
		if (previousAddress == null || !WebFrontSwitch.ADDRESS.matcher(previousAddress).matches()) {
			throw new IllegalStateException("Cannot switch the " + environment
					+ " web front back: the previous address is unknown (" + previousAddress + ")");
		}
		this.webFront.switchTo(environment, previousAddress);
		this.records.switchedBack(runId);
	}

	/**
	 * Starts deleting a stack that never served (a failed create, an unhealthy server, a
	 * failed post-switch check).
	 */
	public void deleteStack(String environment, StackRef ref) {
		if (ref.id() != null) {
			this.heat.delete(environment, ref);
		}
		else {
			this.heat.find(environment, ref.name()).ifPresent((found) -> this.heat.delete(environment, found));
		}
	}

	/**
	 * Ends the run's record and releases the environment's lock, in the transaction that
	 * ends the run.
	 */
	public void finish(String runId, String environment, String outcome, String detail) {
		this.records.finish(runId, outcome, detail);
		if (environment != null) {
			this.environments.release(runId, environment);
		}
	}

	// ---- helpers

	/**
	 * Checks a build reference from a request.
	 * @throws RequestRefusedException (400) when it is missing or not a plain reference
	 */
	public static void requireBuild(String build) {
		if (build == null || build.isBlank()) {
			throw RequestRefusedException.badInput("The variable 'build' is missing: say which build to deploy");
		}
		if (!BUILD.matcher(build).matches()) {
			throw RequestRefusedException.badInput("The build '" + abbreviate(build) + "' is not a build reference: "
					+ "use letters, digits and . _ - (at most 64, starting with a letter or digit)");
		}
	}

	private EnvironmentSettings environment(String environment) {
		return this.environments.environment(environment);
	}

	static String abbreviate(String text) {
		String printable = text.replaceAll("[^\\x20-\\x7e]", "?");
		return (printable.length() > 40) ? printable.substring(0, 40) + "…" : printable;
	}

}
