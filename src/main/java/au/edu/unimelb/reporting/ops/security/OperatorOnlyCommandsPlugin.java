package au.edu.unimelb.reporting.ops.security;

import java.util.ArrayList;
import java.util.List;

import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cmd.AbstractModificationCmd;
import org.camunda.bpm.engine.impl.cmd.AbstractRestartProcessInstanceCmd;
import org.camunda.bpm.engine.impl.cmd.ModifyProcessInstanceAsyncCmd;
import org.camunda.bpm.engine.impl.cmd.ModifyProcessInstanceCmd;
import org.camunda.bpm.engine.impl.cmd.StartProcessInstanceAtActivitiesCmd;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;
import org.camunda.bpm.engine.impl.migration.AbstractMigrationCmd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the engine's ways around a process's first step for operators (safety rule 9):
 * starting an instance at chosen activities ({@code startInstructions}, which can skip
 * {@code Task_AcceptRelease} or place a second UAT task), modifying, restarting or
 * migrating instances. A user who is in none of the engine's admin groups
 * ({@code camunda-admin}, or the directory's operators group) gets 403 for them whatever
 * the authorizations say (Camunda checks only the right to create an instance for a start
 * at activities). Engine-internal calls (jobs, batches: no authenticated user) pass.
 */
class OperatorOnlyCommandsPlugin extends AbstractProcessEnginePlugin {

	private static final Logger log = LoggerFactory.getLogger(OperatorOnlyCommandsPlugin.class);

	@Override
	public void preInit(ProcessEngineConfigurationImpl configuration) {
		CommandInterceptor guard = new OperatorOnlyCommands(configuration);
		List<CommandInterceptor> required = new ArrayList<>();
		required.add(guard);
		if (configuration.getCustomPreCommandInterceptorsTxRequired() != null) {
			required.addAll(configuration.getCustomPreCommandInterceptorsTxRequired());
		}
		configuration.setCustomPreCommandInterceptorsTxRequired(required);
		List<CommandInterceptor> notRequired = new ArrayList<>();
		notRequired.add(new OperatorOnlyCommands(configuration));
		if (configuration.getCustomPreCommandInterceptorsTxRequiresNew() != null) {
			notRequired.addAll(configuration.getCustomPreCommandInterceptorsTxRequiresNew());
		}
		configuration.setCustomPreCommandInterceptorsTxRequiresNew(notRequired);
	}

	static final class OperatorOnlyCommands extends CommandInterceptor {

		private final ProcessEngineConfigurationImpl configuration;

		OperatorOnlyCommands(ProcessEngineConfigurationImpl configuration) {
			this.configuration = configuration;
		}

		@Override
		public <T> T execute(Command<T> command) {
			if (isRestricted(command)) {
				Authentication user = this.configuration.getIdentityService().getCurrentAuthentication();
				if (user != null && user.getUserId() != null && (user.getGroupIds() == null
						|| user.getGroupIds().stream().noneMatch(this.configuration.getAdminGroups()::contains))) {
					log.warn(
							"Refused {} by user {}: only operators may start at chosen activities, modify, "
									+ "restart or migrate process instances",
							command.getClass().getSimpleName(), user.getUserId());
					throw new AuthorizationException("Only an operator (group "
							+ String.join(", ", this.configuration.getAdminGroups()) + ") may start a process at "
							+ "chosen activities, or modify, restart or migrate process instances");
				}
			}
			return this.next.execute(command);
		}

		static boolean isRestricted(Command<?> command) {
			return command instanceof StartProcessInstanceAtActivitiesCmd || command instanceof AbstractModificationCmd
					|| command instanceof ModifyProcessInstanceCmd || command instanceof ModifyProcessInstanceAsyncCmd
					|| command instanceof AbstractRestartProcessInstanceCmd || command instanceof AbstractMigrationCmd;
		}

	}

}
