package au.edu.unimelb.reporting.ops.deploy;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.ENVIRONMENT;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.HOST_KEYS;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.HOST_KEYS_DEADLINE;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.HOST_KEYS_STATE;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.READY;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.SERVER_ID;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.STACK_NAME;

/**
 * {@code Task_ReadHostKeys}: reads the new server's SSH host keys from its console log
 * (server {@code serverId}, until {@code hostKeysDeadline}); writes {@code hostKeysState}
 * (READY, PENDING, FAILED) and then {@code hostKeys}, or {@code failureReason}.
 */
@Component("readHostKeys")
class ReadHostKeysDelegate implements JavaDelegate {

	private final NewServerSecrets servers;

	private final DeploySettings settings;

	ReadHostKeysDelegate(NewServerSecrets servers, DeploySettings settings) {
		this.servers = servers;
		this.settings = settings;
	}

	@Override
	public void execute(DelegateExecution execution) {
		Check check = this.servers.readHostKeys((String) execution.getVariable(ENVIRONMENT),
				(String) execution.getVariable(STACK_NAME), (String) execution.getVariable(SERVER_ID),
				Waits.deadline(execution, HOST_KEYS_DEADLINE));
		Waits.record(execution, HOST_KEYS_STATE, check, this.settings);
		if (READY.equals(check.state())) {
			execution.setVariable(HOST_KEYS, check.value());
		}
	}

}
