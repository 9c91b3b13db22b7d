package au.edu.unimelb.reporting.ops.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import au.edu.unimelb.reporting.ops.support.ThreadDumpOnTimeout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docker-compose.yml} is valid for Debian's docker-compose (no Docker engine is
 * needed for {@code config}), builds the service from the {@code Dockerfile}, takes its
 * secrets from the environment, and refuses to render without them.
 * ({@link DockerComposeFileTest} and {@link DockerfileTest} read both files without
 * compose.)
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
@ExtendWith(ThreadDumpOnTimeout.class)
class DockerComposeFileIT {

	@Test
	void rendersWithSecretsFromTheEnvironment() throws Exception {
		Result result = compose(Map.of("OPS_DB_PASSWORD", "compose-db-pw", "OPS_ADMIN_PASSWORD", "compose-admin-pw",
				"OPS_JENKINS_PASSWORD", "compose-jenkins-pw"));
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output()).contains("SPRING_PROFILES_ACTIVE: prod")
			.contains("compose-admin-pw")
			.contains("jdbc:postgresql://db:5432/")
			.contains("context: " + Path.of("").toAbsolutePath())
			.contains("PG_MAJOR: '15'")
			.contains("OPS_TIMEZONE: Australia/Melbourne");
	}

	@Test
	void refusesToRenderWithoutTheSecrets() throws Exception {
		Result result = compose(Map.of());
		assertThat(result.exitCode()).isNotZero();
		assertThat(result.output()).contains("OPS_DB_PASSWORD");
	}

	private static Result compose(Map<String, String> environment) throws IOException, InterruptedException {
		ProcessBuilder builder = new ProcessBuilder(List.of("docker-compose", "-f", "docker-compose.yml", "config"))
			.redirectErrorStream(true);
		builder.environment().keySet().removeIf((name) -> name.startsWith("OPS_"));
		builder.environment().putAll(environment);
		Process process = builder.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("docker-compose config finishes").isTrue();
		return new Result(process.exitValue(), output);
	}

	record Result(int exitCode, String output) {
	}

}
