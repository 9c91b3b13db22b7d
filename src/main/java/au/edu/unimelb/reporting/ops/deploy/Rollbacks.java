package au.edu.unimelb.reporting.ops.deploy;

import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings.EnvironmentSettings;
import au.edu.unimelb.reporting.ops.engine.RequestRefusedException;
import au.edu.unimelb.reporting.ops.heat.HeatStacks;
import au.edu.unimelb.reporting.ops.heat.StackRef;

import org.springframework.stereotype.Service;

/**
 * What rollback does of its own: find the way back. Its other steps (check the stack and
 * the server, switch, finish) are deploy-replace's ({@link DeployService}).
 */
@Service
class Rollbacks {

	private final DeployEnvironments environments;

	private final HeatStacks heat;

	private final DeploymentRecords records;

	Rollbacks(DeployEnvironments environments, HeatStacks heat, DeploymentRecords records) {
		this.environments = environments;
		this.heat = heat;
		this.records = records;
	}

	/**
	 * Checks a rollback request, takes the environment's lock and finds the kept previous
	 * stack ({@link StackRetention#wayBack}).
	 * @return the stack to go back to
	 */
	StackRef acceptRollback(String runId, String environment, String startedBy) {
		EnvironmentSettings settings = this.environments.environment(environment);
		this.environments.lock(runId, environment, startedBy);
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

}
