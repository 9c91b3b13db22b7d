package au.edu.unimelb.reporting.ops.deploy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings.EnvironmentSettings;
import au.edu.unimelb.reporting.ops.heat.HeatException;
import au.edu.unimelb.reporting.ops.heat.HeatStacks;
import au.edu.unimelb.reporting.ops.heat.StackRef;
import au.edu.unimelb.reporting.ops.heat.StackState;
import au.edu.unimelb.reporting.ops.heat.StackStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;

/**
 * Retiring the old stacks once a new one serves ({@code Task_RetireOldStacks},
 * {@code Task_CheckRetired}): which go is {@link StackRetention}'s rule, shared with
 * rollback; this deletes them and waits until Heat has.
 */
@Service
class StackRetirement {

	private static final Logger log = LoggerFactory.getLogger(StackRetirement.class);

	private final DeployEnvironments environments;

	private final HeatStacks heat;

	private final DeploymentRecords records;

	StackRetirement(DeployEnvironments environments, HeatStacks heat, DeploymentRecords records) {
		this.environments = environments;
		this.heat = heat;
		this.records = records;
	}

	/**
	 * Starts deleting the old stacks that {@link StackRetention#plan} lets go: the newest
	 * {@code keep-previous} ways back stay (stacks that served and were not rolled back
	 * from), the rest go.
	 * @return the stacks being deleted
	 */
	List<StackRef> retireOldStacks(String environment, String newStackName) {
		EnvironmentSettings settings = this.environments.environment(environment);
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
	boolean retiredStacksGone(String environment, List<StackRef> retiring, Instant deadline) {
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

}
