package au.edu.unimelb.reporting.ops.deploy;

import java.util.Map;

import au.edu.unimelb.reporting.ops.engine.RunEnd;

/**
 * Names shared by {@code processes/deploy-replace.bpmn}, {@code processes/rollback.bpmn}
 * and their delegates.
 */
public final class DeployReplaceProcess {

	public static final String KEY = "deploy-replace";

	public static final String ROLLBACK_KEY = "rollback";

	/** The process whose call of deploy-replace carries a UAT approval. */
	public static final String RELEASE_KEY = "release";

	/**
	 * Thrown by the error end event when a deploy failed and the old server still serves.
	 */
	public static final String ERROR_DEPLOY_FAILED = "DEPLOY_FAILED";

	/**
	 * Thrown when a rollback was refused (no healthy previous stack); the web front is
	 * untouched.
	 */
	public static final String ERROR_ROLLBACK_FAILED = "ROLLBACK_FAILED";

	/**
	 * Thrown by {@code Task_DeliverSecrets} when the new server presents an SSH host key
	 * its console did not show: nothing is sent, the new stack is deleted.
	 */
	public static final String ERROR_HOST_KEY_MISMATCH = "HOST_KEY_MISMATCH";

	// Inputs
	public static final String ENVIRONMENT = "environment";

	public static final String BUILD = "build";

	/**
	 * Set by the start event ({@code camunda:initiator}): the user who started the run.
	 */
	public static final String INITIATOR = "initiator";

	/**
	 * Why an operator deploys directly (required for Prod, which then skips UAT; plain
	 * text, at most 500 characters).
	 */
	public static final String REASON = "reason";

	/**
	 * Set by {@code Task_AcceptRequest}: the release a deploy is part of, taken from the
	 * calling process instance. A start request that carries it is refused.
	 */
	public static final String RELEASE_ID = "releaseId";

	// Names that once carried approval data into a deploy; a start request that carries
	// any of them is refused (approval data comes only from the release's record).
	public static final String RELEASE_STARTED_BY = "releaseStartedBy";

	public static final String APPROVED_BY = "approvedBy";

	public static final String APPROVED_AT = "approvedAt";

	public static final String APPROVAL_COMMENT = "approvalComment";

	// Results
	public static final String STACK_NAME = "stackName";

	public static final String STACK_ID = "stackId";

	public static final String TEMPLATE_HASH = "templateHash";

	public static final String STACK_STATE = "stackState";

	public static final String STACK_DEADLINE = "stackDeadline";

	public static final String POLL_INTERVAL = "pollInterval";

	public static final String SERVER_ADDRESS = "serverAddress";

	/** The new server's Nova id (the stack output {@code server_id}). */
	public static final String SERVER_ID = "serverId";

	/**
	 * The new server's SSH host keys as its console showed them, one per line (public,
	 * not secret).
	 */
	public static final String HOST_KEYS = "hostKeys";

	public static final String HOST_KEYS_STATE = "hostKeysState";

	public static final String HOST_KEYS_DEADLINE = "hostKeysDeadline";

	public static final String HEALTH_STATE = "healthState";

	public static final String HEALTH_DEADLINE = "healthDeadline";

	public static final String PREVIOUS_ADDRESS = "previousAddress";

	public static final String PUBLIC_STATE = "publicState";

	public static final String PUBLIC_DEADLINE = "publicDeadline";

	public static final String RETIRING = "retiringStacks";

	public static final String RETIRE_STATE = "retireState";

	public static final String RETIRE_DEADLINE = "retireDeadline";

	public static final String FAILURE_REASON = RunEnd.FAILURE_REASON;

	public static final String OUTCOME = RunEnd.OUTCOME;

	// Values of the *State variables the gateways branch on
	public static final String READY = "READY";

	public static final String PENDING = "PENDING";

	/** Also the outcome of a failed deploy and of a refused rollback. */
	public static final String FAILED = RunEnd.FAILED;

	// Outcomes (the deployment record's), besides FAILED and RunEnd.CANCELLED
	public static final String DEPLOYED = "DEPLOYED";

	public static final String ROLLED_BACK = "ROLLED_BACK";

	// Activity ids (readable, as drawn)
	public static final String TASK_ACCEPT_REQUEST = "Task_AcceptRequest";

	public static final String TASK_ALLOCATE_STACK_NAME = "Task_AllocateStackName";

	public static final String TASK_CREATE_STACK = "Task_CreateStack";

	public static final String TASK_CHECK_STACK = "Task_CheckStack";

	public static final String TIMER_WAIT_FOR_STACK = "Timer_WaitForStack";

	public static final String TASK_READ_HOST_KEYS = "Task_ReadHostKeys";

	public static final String TIMER_WAIT_FOR_HOST_KEYS = "Timer_WaitForHostKeys";

	public static final String TASK_DELIVER_SECRETS = "Task_DeliverSecrets";

	public static final String BOUNDARY_HOST_KEY_MISMATCH = "Boundary_HostKeyMismatch";

	public static final String TASK_CHECK_HEALTH = "Task_CheckHealth";

	public static final String TIMER_WAIT_FOR_HEALTH = "Timer_WaitForHealth";

	public static final String TASK_SWITCH_WEB_FRONT = "Task_SwitchWebFront";

	public static final String TASK_CHECK_PUBLIC_URL = "Task_CheckPublicUrl";

	public static final String TIMER_WAIT_FOR_PUBLIC_URL = "Timer_WaitForPublicUrl";

	public static final String TASK_SWITCH_BACK = "Task_SwitchBack";

	public static final String TASK_DELETE_NEW_STACK = "Task_DeleteNewStack";

	public static final String TASK_RETIRE_OLD_STACKS = "Task_RetireOldStacks";

	public static final String TASK_CHECK_RETIRED = "Task_CheckRetired";

	public static final String TIMER_WAIT_FOR_RETIRE = "Timer_WaitForRetire";

	public static final String END_DEPLOYED = "EndEvent_Deployed";

	public static final String END_DEPLOY_FAILED = "EndEvent_DeployFailed";

	// Rollback
	public static final String TASK_ACCEPT_ROLLBACK = "Task_AcceptRollback";

	public static final String TASK_READ_TARGET = "Task_ReadTargetStack";

	public static final String TASK_CHECK_TARGET_HEALTH = "Task_CheckTargetHealth";

	public static final String END_ROLLED_BACK = "EndEvent_RolledBack";

	public static final String END_ROLLBACK_REFUSED = "EndEvent_RollbackRefused";

	/**
	 * The outcome each end event of deploy-replace and rollback stands for, set by their
	 * start listener {@code deployOutcome}.
	 */
	public static final Map<String, String> OUTCOMES = Map.of(END_DEPLOYED, DEPLOYED, END_DEPLOY_FAILED, FAILED,
			END_ROLLED_BACK, ROLLED_BACK, END_ROLLBACK_REFUSED, FAILED);

	public static final String TARGET_STACK_NAME = "targetStackName";

	public static final String TARGET_STACK_ID = "targetStackId";

	private DeployReplaceProcess() {
	}

	/**
	 * @return the lock one run per environment holds
	 */
	public static String lockName(String environment) {
		return "deploy:" + environment;
	}

}
