package au.edu.unimelb.reporting.ops.deploy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings;
import au.edu.unimelb.reporting.ops.engine.StepTimeouts;
import au.edu.unimelb.reporting.ops.ssh.SshCommands;

import org.springframework.stereotype.Component;

/**
 * The calls to other machines that deploy-replace and rollback make, for the job lock:
 * the health probes ({@code ops.deploy.probe-timeout}), and for each environment its
 * cloud requests, its web front switch and the secrets delivered to a new app server.
 */
@Component
class DeployStepTimeouts implements StepTimeouts {

	private final DeploySettings deploy;

	private final EnvironmentsSettings environments;

	DeployStepTimeouts(DeploySettings deploy, EnvironmentsSettings environments) {
		this.deploy = deploy;
		this.environments = environments;
	}

	@Override
	public Map<String, Duration> stepTimeouts() {
		Map<String, Duration> timeouts = new LinkedHashMap<>();
		timeouts.put("ops.deploy.probe-timeout", this.deploy.probeTimeout());
		for (String name : EnvironmentsSettings.NAMES) {
			this.environments.find(name).ifPresent((environment) -> {
				String prefix = "ops.environments." + name + ".";
				timeouts.put(prefix + "cloud.request-timeout-seconds",
						Duration.ofSeconds(environment.cloud().requestTimeoutSeconds()));
				put(timeouts, SshCommands.oneCall(prefix + "web-front.timeout-seconds",
						environment.webFront().timeoutSeconds()));
				put(timeouts, SshCommands.oneCall(prefix + "app-server.timeout-seconds",
						environment.appServer().timeoutSeconds()));
			});
		}
		return timeouts;
	}

	private static void put(Map<String, Duration> timeouts, Map.Entry<String, Duration> call) {
		timeouts.put(call.getKey(), call.getValue());
	}

}
