package au.edu.unimelb.reporting.ops.support;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings;
import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings.AppServerSettings;
import au.edu.unimelb.reporting.ops.config.CloudSettings;
import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings.DatabaseSettings;
import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings.EnvironmentSettings;
import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings.StackSettings;
import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings.WebFrontSettings;
import au.edu.unimelb.reporting.ops.config.Secret;

/**
 * Environment settings for tests that build facades by hand, pointing at the loopback
 * test bed.
 */
public final class TestEnvironments {

	private TestEnvironments() {
	}

	public static WebFrontSettings webFront(LoopbackSshd sshd, LoopbackWebFront front, Path knownHosts) {
		return new WebFrontSettings("127.0.0.1", sshd.port(), "root", sshd.clientKey(), knownHosts, front.publicUrl(),
				List.of(LoopbackWebFront.switchScript().toString()), 20);
	}

	/** The app-server settings' defaults (user reporting, port 22, 30 s). */
	public static AppServerSettings appServer() {
		return new AppServerSettings("reporting", Path.of("/etc/reporting-ops/ssh/id_ed25519"), 22,
				"/etc/reporting/db-password", ".ssh/authorized_keys2", List.of(), 30);
	}

	public static EnvironmentsSettings qaOnly(WebFrontSettings webFront, int appPort) {
		EnvironmentSettings qa = new EnvironmentSettings(
				new CloudSettings("http://127.0.0.1:5000/v3", "reporting", "Default", "reporting-ops",
						Secret.of("unused-here"), null, 60, null),
				new StackSettings("reporting_qa_", "app-server.yaml", null, Map.of(), 1, 20), webFront,
				new DatabaseSettings("127.0.0.1", 5432, "reporting_qa", "reporting", Secret.of("unused-here")),
				appServer(), "/health", appPort);
		return new EnvironmentsSettings(qa, null);
	}

}
