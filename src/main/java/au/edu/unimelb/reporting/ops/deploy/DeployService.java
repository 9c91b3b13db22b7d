package au.edu.unimelb.reporting.ops.deploy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import au.edu.unimelb.reporting.ops.compute.ServerConsole;
import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings;
import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings.AppServerSettings;
import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings.EnvironmentSettings;
import au.edu.unimelb.reporting.ops.engine.RequestRefusedException;
import au.edu.unimelb.reporting.ops.health.HealthProbe;
import au.edu.unimelb.reporting.ops.health.HealthProbe.ProbeResult;
import au.edu.unimelb.reporting.ops.heat.HeatException;
import au.edu.unimelb.reporting.ops.heat.HeatStacks;
import au.edu.unimelb.reporting.ops.heat.HeatTemplate;
import au.edu.unimelb.reporting.ops.heat.HeatTemplates;
import au.edu.unimelb.reporting.ops.heat.StackNames;
import au.edu.unimelb.reporting.ops.heat.StackRef;
import au.edu.unimelb.reporting.ops.heat.StackRequest;
import au.edu.unimelb.reporting.ops.heat.StackState;
import au.edu.unimelb.reporting.ops.heat.StackStatus;
import au.edu.unimelb.reporting.ops.lock.LockHeldException;
import au.edu.unimelb.reporting.ops.lock.Locks;
import au.edu.unimelb.reporting.ops.ssh.ConsoleHostKeys;
import au.edu.unimelb.reporting.ops.ssh.HostKeyMismatchException;
import au.edu.unimelb.reporting.ops.ssh.HostKeys;
import au.edu.unimelb.reporting.ops.ssh.RemoteFile;
import au.edu.unimelb.reporting.ops.ssh.SshCommands;
import au.edu.unimelb.reporting.ops.ssh.SshException;
import au.edu.unimelb.reporting.ops.ssh.SshTarget;
import au.edu.unimelb.reporting.ops.webfront.SwitchResult;
import au.edu.unimelb.reporting.ops.webfront.WebFrontSwitch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;

/**
 * What deploy-replace and rollback do, step by step; their delegates only move variables
 * in and out.
 */
@Service
public class DeployService {

	private static final Logger log = LoggerFactory.getLogger(DeployService.class);

	/**
	 * A build reference: a version, tag or commit; no spaces, quotes or shell
	 * metacharacters.
	 */
	static final Pattern BUILD = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

	/** A Nova server id (a UUID): safe in the compute API's URL as it is. */
	static final Pattern SERVER_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

	private final EnvironmentsSettings environments;

	private final DeploySettings settings;

	private final HeatStacks heat;

	private final HeatTemplates templates;

	private final HealthProbe probe;

	private final WebFrontSwitch webFront;

	private final Locks locks;

	private final DeploymentRecords records;

	private final ReleaseApprovals releases;

	private final ServerConsole console;

	private final SshCommands ssh;

	public DeployService(EnvironmentsSettings environments, DeploySettings settings, HeatStacks heat,
			HeatTemplates templates, HealthProbe probe, WebFrontSwitch webFront, Locks locks, DeploymentRecords records,
			ReleaseApprovals releases, ServerConsole console, SshCommands ssh) {
		this.environments = environments;
		this.settings = settings;
		this.heat = heat;
		this.templates = templates;
		this.probe = probe;
		this.webFront = webFront;
		this.locks = locks;
		this.records = records;
		this.releases = releases;
		this.console = console;
		this.ssh = ssh;
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
		requireKnownName(request.environment());
		requireBuild(request.build());
		environment(request.environment());
		DeployOrigin origin = DeployOrigin.of(request, this.releases);
		lock(request.runId(), request.environment(), origin.startedBy());
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
	 * Reads the new server's SSH host keys from its console log, where cloud-init prints
	 * them at the end of the first boot: ready (with the keys, one per line), not there
	 * yet, or failed when the deadline passed without them or with blocks that are
	 * ambiguous ({@link ConsoleHostKeys}: the server's identity cannot be checked, so it
	 * gets no secret). An ambiguous console is waited on too: it stays so, and the
	 * deadline ends the wait.
	 */
	public Check readHostKeys(String environment, String stackName, String serverId, Instant deadline) {
		if (serverId == null || serverId.isBlank()) {
			return Check.failed("Stack " + stackName + " has no output server_id, so the new server's host keys "
					+ "cannot be read from its console");
		}
		if (!SERVER_ID.matcher(serverId).matches()) {
			return Check.failed("Stack " + stackName + " has an output server_id that is not a server id ('"
					+ abbreviate(serverId) + "'), so the new server's host keys cannot be read from its console");
		}
		ConsoleHostKeys.Reading reading = ConsoleHostKeys.read(this.console.output(environment, serverId));
		HostKeys keys = reading.keys();
		if (!keys.isEmpty()) {
			log.info("Server {} of stack {} has host keys {} (from its console)", serverId, stackName,
					keys.format().replace('\n', ','));
			return Check.ready(keys.format());
		}
		if (reading.problem() != null) {
			log.warn("The console of server {} (stack {}) is ambiguous: {}", serverId, stackName, reading.problem());
		}
		if (Instant.now().isAfter(deadline)) {
			if (reading.problem() != null) {
				return Check.failed("The console of server " + serverId + " (stack " + stackName
						+ ") showed SSH host key blocks that are ambiguous by " + deadline + " (" + reading.problem()
						+ "): its identity cannot be checked, so it was given no secret");
			}
			return Check
				.failed("The console of server " + serverId + " (stack " + stackName + ") showed no SSH host keys by "
						+ deadline + ": its identity cannot be checked, so it was given no secret");
		}
		return Check.PENDING;
	}

	/**
	 * Writes the environment's database password and the extra authorized keys onto the
	 * new server, over SSH as the app's user, the server's host key checked against the
	 * keys its console showed. The password goes through the remote command's standard
	 * input; repeating the step writes the same files again.
	 * @param address the new server, {@code IP:PORT} (its HTTP port; SSH is
	 * {@code app-server.ssh-port})
	 * @param hostKeys what {@link #readHostKeys} found
	 * @throws HostKeyMismatchException when the server presents another key: refused,
	 * nothing sent
	 * @throws SshException when SSH failed otherwise (refused, timed out, a failed write)
	 */
	public void deliverSecrets(String environment, String address, String hostKeys) {
		EnvironmentSettings settings = environment(environment);
		AppServerSettings app = settings.appServer();
		String host = address.substring(0, address.lastIndexOf(':'));
		SshTarget target = SshTarget.withHostKeys(host, app.sshPort(), app.user(), app.privateKeyPath(),
				HostKeys.parse(hostKeys), Duration.ofSeconds(app.timeoutSeconds()));
		byte[] password = (settings.database().password().reveal() + "\n").getBytes(StandardCharsets.UTF_8);
		byte[] keys = app.extraAuthorizedKeys()
			.stream()
			.map((line) -> line + "\n")
			.collect(Collectors.joining())
			.getBytes(StandardCharsets.UTF_8);
		try {
			this.ssh.write(target, List.of(new RemoteFile(app.passwordFile(), password),
					new RemoteFile(app.authorizedKeysFile(), keys)));
		}
		finally {
			Arrays.fill(password, (byte) 0);
		}
		log.info("Delivered the {} database password to {} ({}) and {} extra authorized key(s) ({})", environment,
				target, app.passwordFile(), app.extraAuthorizedKeys().size(), app.authorizedKeysFile());
	}

	/**
	 * Probes the new server directly, before any traffic goes to it.
	 */
	public Check checkServer(String environment, String address, Instant deadline) {
		String url = "http://" + address + environment(environment).healthPath();
		ProbeResult result = this.probe.probe(url, null, this.settings.probeTimeout());
		if (result.healthy()) {
			return Check.ready(address);
		}
		if (Instant.now().isAfter(deadline)) {
			return Check.failed("The new server never became healthy by " + deadline + ": " + result.detail());
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
	 * Checks through the web front's public URL that people now get the new build.
	 */
	public Check checkPublicUrl(String environment, String build, Instant deadline) {
		EnvironmentSettings settings = environment(environment);
		String base = settings.webFront().publicUrl().replaceAll("/+$", "");
		ProbeResult result = this.probe.probe(base + settings.healthPath(), build, this.settings.probeTimeout());
		if (result.healthy()) {
			return Check.ready(base);
		}
		if (Instant.now().isAfter(deadline)) {
			return Check.failed("After the switch, " + result.detail());
		}
		return Check.PENDING;
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
	 * Starts deleting the old stacks that {@link StackRetention#plan} lets go: the newest
	 * {@code keep-previous} ways back stay (stacks that served and were not rolled back
	 * from), the rest go.
	 * @return the stacks being deleted
	 */
	public List<StackRef> retireOldStacks(String environment, String newStackName) {
		EnvironmentSettings settings = environment(environment);
		List<StackRetention.Decision> plan = StackRetention.plan(
				this.heat.listNumbered(environment, settings.stack().prefix()), this.records.servedHistory(environment),
				this.records.recordedStacks(environment), settings.stack().prefix(), newStackName,
				settings.stack().keepPrevious());
		List<StackRef> retire = new ArrayList<>();
		for (StackRetention.Decision decision : plan) {
			log.info("Stack {} of {}: {} ({})", decision.ref().name(), environment,
					decision.keep() ? "kept" : "retired", decision.reason());
			if (!decision.keep()) {
				this.heat.delete(environment, decision.ref());
				retire.add(decision.ref());
			}
		}
		return retire;
	}

	/**
	 * Checks that the retired stacks are gone; re-issues the delete of any that is not.
	 * @throws HeatException when a delete failed or the deadline passed: the step raises
	 * an incident, and its retry deletes again
	 */
	public boolean retiredStacksGone(String environment, List<StackRef> retiring, Instant deadline) {
		boolean allGone = true;
		for (StackRef ref : retiring) {
			StackState state = this.heat.get(environment, ref);
			if (state.status() == StackStatus.GONE) {
				continue;
			}
			allGone = false;
			if (state.status() == StackStatus.DELETE_FAILED) {
				this.heat.delete(environment, ref);
				throw new HeatException("Deleting old stack " + ref.name() + " failed: " + state.reason()
						+ " (delete issued again; retry this step to check)");
			}
			if (!state.status().isInProgress()) {
				this.heat.delete(environment, ref);
			}
		}
		if (!allGone && Instant.now().isAfter(deadline)) {
			throw new HeatException("Old stacks of " + environment + " were not deleted by " + deadline + ": "
					+ retiring.stream().map(StackRef::name).toList());
		}
		return allGone;
	}

	/**
	 * Ends the run's record and releases the environment's lock, in the transaction that
	 * ends the run.
	 */
	public void finish(String runId, String environment, String outcome, String detail) {
		this.records.finish(runId, (outcome != null) ? outcome : "CANCELLED",
				(detail != null) ? detail : ((outcome == null) ? "cancelled before it finished" : null));
		if (environment != null) {
			this.locks.release(DeployReplaceProcess.lockName(environment), runId);
		}
	}

	// ---- rollback

	/**
	 * Checks a rollback request, takes the environment's lock and finds the kept previous
	 * stack.
	 * @return the stack to go back to
	 */
	public StackRef acceptRollback(String runId, String environment, String startedBy) {
		EnvironmentSettings settings = environment(environment);
		lock(runId, environment, startedBy);
		DeploymentRecord serving = this.records.serving(environment)
			.orElseThrow(() -> RequestRefusedException
				.conflict("Nothing to roll back in " + environment + ": no deployment has served there yet"));
		StackRef target = StackRetention
			.wayBack(this.heat.listNumbered(environment, settings.stack().prefix()),
					this.records.servedHistory(environment), serving.stackName())
			.orElseThrow(
					() -> RequestRefusedException.conflict("No stack to go back to in " + environment + " (serving: "
							+ serving.stackName() + "): none is kept that served and was not rolled back from"));
		this.records.start(runId, "ROLLBACK", environment, null, startedBy);
		this.records.stack(runId, target.name(), target.id(), null);
		return target;
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

	EnvironmentSettings environment(String environment) {
		requireKnownName(environment);
		return this.environments.find(environment)
			.orElseThrow(() -> RequestRefusedException.badInput("The environment " + environment
					+ " is not configured on this service (ops.environments." + environment + ")"));
	}

	private static void requireKnownName(String environment) {
		if (environment == null || environment.isBlank()) {
			throw RequestRefusedException.badInput("The variable 'environment' is missing: say qa or prod");
		}
		if (!EnvironmentsSettings.NAMES.contains(environment)) {
			throw RequestRefusedException
				.badInput("Unknown environment '" + abbreviate(environment) + "': use qa or prod");
		}
	}

	private void lock(String runId, String environment, String startedBy) {
		try {
			this.locks.acquire(DeployReplaceProcess.lockName(environment), runId, startedBy);
		}
		catch (LockHeldException held) {
			throw RequestRefusedException.lockedByAnotherRun(held);
		}
	}

	static String abbreviate(String text) {
		String printable = text.replaceAll("[^\\x20-\\x7e]", "?");
		return (printable.length() > 40) ? printable.substring(0, 40) + "…" : printable;
	}

	/**
	 * The answer of a check that a waiting loop branches on.
	 *
	 * @param state {@link DeployReplaceProcess#READY},
	 * {@link DeployReplaceProcess#PENDING} or {@link DeployReplaceProcess#FAILED}
	 * @param value what was found when ready (an address, a URL)
	 * @param reason why it failed
	 * @param serverId the Nova server of a ready stack (its output {@code server_id}), or
	 * {@code null}
	 */
	public record Check(String state, String value, String reason, String serverId) {

		static final Check PENDING = new Check(DeployReplaceProcess.PENDING, null, null, null);

		static Check ready(String value) {
			return new Check(DeployReplaceProcess.READY, value, null, null);
		}

		static Check readyServer(String address, String serverId) {
			return new Check(DeployReplaceProcess.READY, address, null, serverId);
		}

		static Check failed(String reason) {
			return new Check(DeployReplaceProcess.FAILED, null, reason, null);
		}

	}

}
