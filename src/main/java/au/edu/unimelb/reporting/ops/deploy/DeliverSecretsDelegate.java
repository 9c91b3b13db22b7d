package au.edu.unimelb.reporting.ops.deploy;

import java.time.Instant;

import au.edu.unimelb.reporting.ops.ssh.HostKeyMismatchException;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.ENVIRONMENT;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.ERROR_HOST_KEY_MISMATCH;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.HEALTH_DEADLINE;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.HOST_KEYS;
import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.SERVER_ADDRESS;

/**
 * {@code Task_DeliverSecrets}: writes the database password and the extra authorized keys
 * onto the new server at {@code serverAddress} over SSH, accepting only the host keys in
 * {@code hostKeys}; then starts the health check's clock ({@code healthDeadline}: the app
 * can only start once it has its password). Throws {@code HOST_KEY_MISMATCH} when the
 * server presents another host key; any other SSH failure is retried, then an incident.
 */
@Component("deliverSecrets")
class DeliverSecretsDelegate implements JavaDelegate {

	private final NewServerSecrets servers;

	private final DeploySettings settings;

	DeliverSecretsDelegate(NewServerSecrets servers, DeploySettings settings) {
		this.servers = servers;
		this.settings = settings;
	}

	@Override
	public void execute(DelegateExecution execution) {
		try {
			this.servers.deliverSecrets((String) execution.getVariable(ENVIRONMENT),
					(String) execution.getVariable(SERVER_ADDRESS), (String) execution.getVariable(HOST_KEYS));
		}
		catch (HostKeyMismatchException ex) {
			throw new BpmnError(ERROR_HOST_KEY_MISMATCH, "Refused to give the new server its secrets: "
					+ ex.getMessage() + ". The new stack is deleted; the old server keeps serving.");
		}
		Waits.setDeadline(execution, HEALTH_DEADLINE, Instant.now().plus(this.settings.healthTimeout()));
	}

}
