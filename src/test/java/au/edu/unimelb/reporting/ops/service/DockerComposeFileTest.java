package au.edu.unimelb.reporting.ops.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code docker-compose.yml} hands the service, read without compose: the service's
 * image is built from the {@code Dockerfile}. {@code DockerComposeFileIT} checks that
 * compose itself accepts the file.
 */
class DockerComposeFileTest {

	static final Path COMPOSE = Path.of("docker-compose.yml");

	static final String SERVICE = "reporting-ops";

	@Test
	@SuppressWarnings("unchecked")
	void buildsTheServiceFromTheDockerfile() throws IOException {
		Map<String, Object> service = service();
		assertThat(service).as("the service's image is built here, not pulled").doesNotContainKey("image");
		assertThat(service.get("build")).isInstanceOf(Map.class);
		Map<String, Object> build = (Map<String, Object>) service.get("build");
		Path context = COMPOSE.toAbsolutePath().resolveSibling(String.valueOf(build.get("context"))).normalize();
		String dockerfile = (String) build.getOrDefault("dockerfile", "Dockerfile");
		assertThat(context.resolve(dockerfile)).as("the Dockerfile compose builds from").exists();
		assertThat(context.resolve(dockerfile)).isEqualTo(DockerfileTest.DOCKERFILE.toAbsolutePath());
		Matcher db = Pattern.compile("postgres:(\\d+)").matcher(String.valueOf(services().get("db").get("image")));
		assertThat(db.find()).isTrue();
		assertThat((Map<String, Object>) build.get("args")).as("the client programs' major: the database's")
			.containsEntry("PG_MAJOR", db.group(1));
	}

	private static Map<String, Object> service() throws IOException {
		return services().get(SERVICE);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Map<String, Object>> services() throws IOException {
		Map<String, Object> compose = new Yaml().load(Files.readString(COMPOSE));
		return (Map<String, Map<String, Object>>) compose.get("services");
	}

}
