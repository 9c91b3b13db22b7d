package au.edu.unimelb.reporting.ops.deploy;

import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings;
import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings.EnvironmentSettings;
import au.edu.unimelb.reporting.ops.engine.RequestRefusedException;
import au.edu.unimelb.reporting.ops.lock.LockHeldException;
import au.edu.unimelb.reporting.ops.lock.Locks;

import org.springframework.stereotype.Component;

/**
 * The environments a deploy or rollback may name, and the lock that lets one run at a
 * time change each (safety rule 5).
 */
@Component
class DeployEnvironments {

	private final EnvironmentsSettings environments;

	private final Locks locks;

	DeployEnvironments(EnvironmentsSettings environments, Locks locks) {
		this.environments = environments;
		this.locks = locks;
	}

	/**
	 * @throws RequestRefusedException (400) when the name is missing, unknown or not
	 * configured on this service
	 */
	EnvironmentSettings environment(String environment) {
		requireKnownName(environment);
		return this.environments.find(environment)
			.orElseThrow(() -> RequestRefusedException.badInput("The environment " + environment
					+ " is not configured on this service (ops.environments." + environment + ")"));
	}

	/**
	 * @throws RequestRefusedException (400) when the name is missing or neither qa nor
	 * prod
	 */
	static void requireKnownName(String environment) {
		if (environment == null || environment.isBlank()) {
			throw RequestRefusedException.badInput("The variable 'environment' is missing: say qa or prod");
		}
		if (!EnvironmentsSettings.NAMES.contains(environment)) {
			throw RequestRefusedException
				.badInput("Unknown environment '" + DeployService.abbreviate(environment) + "': use qa or prod");
		}
	}

	/**
	 * Takes the environment's lock for a run.
	 * @throws RequestRefusedException (409) when another deploy or rollback holds it
	 */
	void lock(String runId, String environment, String startedBy) {
		try {
			this.locks.acquire(DeployReplaceProcess.lockName(environment), runId, startedBy);
		}
		catch (LockHeldException held) {
			throw RequestRefusedException.lockedByAnotherRun(held);
		}
	}

	/** Gives the environment's lock back, if the run holds it. */
	void release(String runId, String environment) {
		this.locks.release(DeployReplaceProcess.lockName(environment), runId);
	}

}
