package au.edu.unimelb.reporting.ops.deploy;

import java.time.Instant;

import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings.EnvironmentSettings;
import au.edu.unimelb.reporting.ops.health.HealthProbe;
import au.edu.unimelb.reporting.ops.health.HealthProbe.ProbeResult;

import org.springframework.stereotype.Service;

/**
 * Whether a server serves: the new one probed directly before any traffic goes to it
 * ({@code Task_CheckHealth}, also rollback's target), and the public URL through the web
 * front after the switch ({@code Task_CheckPublicUrl}). A check that fails before its
 * deadline is pending: the model waits and asks again.
 */
@Service
class HealthChecks {

	private final DeployEnvironments environments;

	private final DeploySettings settings;

	private final HealthProbe probe;

	HealthChecks(DeployEnvironments environments, DeploySettings settings, HealthProbe probe) {
		this.environments = environments;
		this.settings = settings;
		this.probe = probe;
	}

	/**
	 * Probes the new server directly, before any traffic goes to it.
	 */
	Check checkServer(String environment, String address, Instant deadline) {
		String url = "http://" + address + this.environments.environment(environment).healthPath();
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
	 * Checks through the web front's public URL that people now get the new build.
	 */
	Check checkPublicUrl(String environment, String build, Instant deadline) {
		EnvironmentSettings settings = this.environments.environment(environment);
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

}
