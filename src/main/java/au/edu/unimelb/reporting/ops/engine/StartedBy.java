package au.edu.unimelb.reporting.ops.engine;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.impl.identity.Authentication;

/**
 * Who started a run, as the engine authenticated them — never as a start variable says.
 * The engine writes the {@code camunda:initiator} variable first and the caller's start
 * variables after it, so a REST caller could name anybody as the initiator; the first,
 * synchronous step of each process asks here instead and writes the variable again.
 */
public final class StartedBy {

	private StartedBy() {
	}

	/**
	 * @return the authenticated user of the command that runs this step, or {@code null}
	 * when there is none (a timer, a job, an engine call without authentication)
	 */
	public static Authentication authentication(DelegateExecution execution) {
		Authentication authentication = execution.getProcessEngineServices()
			.getIdentityService()
			.getCurrentAuthentication();
		return (authentication != null && authentication.getUserId() != null) ? authentication : null;
	}

	/**
	 * Whether the user is an operator: a member of one of the engine's admin groups
	 * ({@code camunda-admin}, or the directory group mapped to operators).
	 */
	public static boolean isOperator(DelegateExecution execution, Authentication user) {
		if (user == null || user.getGroupIds() == null) {
			return false;
		}
		java.util.List<String> admins = ((org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl) execution
			.getProcessEngine()
			.getProcessEngineConfiguration()).getAdminGroups();
		return admins != null && user.getGroupIds().stream().anyMatch(admins::contains);
	}

	/**
	 * The process instance that called this run through a call activity (its super
	 * process instance, which no variable can name), when it is of the given process.
	 * @param processKey the caller's process key, for example {@code release}
	 * @return the calling instance's id, or {@code null} when none of that process called
	 */
	public static String callingInstance(DelegateExecution execution, String processKey) {
		DelegateExecution caller = execution.getProcessInstance().getSuperExecution();
		if (caller == null) {
			return null;
		}
		String key = execution.getProcessEngineServices()
			.getRepositoryService()
			.getProcessDefinition(caller.getProcessDefinitionId())
			.getKey();
		return processKey.equals(key) ? caller.getProcessInstanceId() : null;
	}

	/**
	 * Sets the initiator variable to the authenticated user (or removes a forged one when
	 * nobody is authenticated) and returns it.
	 * @param variable the process's initiator variable
	 * @return the authenticated user id, or {@code null}
	 */
	public static String resetInitiator(DelegateExecution execution, String variable) {
		Authentication authentication = authentication(execution);
		String user = (authentication != null) ? authentication.getUserId() : null;
		execution.setVariable(variable, user);
		return user;
	}

}
