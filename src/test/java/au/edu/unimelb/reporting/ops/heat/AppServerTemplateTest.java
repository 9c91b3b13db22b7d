package au.edu.unimelb.reporting.ops.heat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the app server's template asks of Nova, read as Heat reads it (YAML).
 */
class AppServerTemplateTest {

	@Test
	void theServerReadsItsMetadataFromAConfigDriveNotTheNetwork() throws IOException {
		Map<String, Object> server = map(map(load("heat/app-server.yaml").get("resources")).get("server"));
		assertThat(server.get("type")).isEqualTo("OS::Nova::Server");
		assertThat(map(server.get("properties")).get("config_drive")).isEqualTo(true);
	}

	@Test
	void theLoopbackStandInTakesTheConfigDriveAsTheRealServerDoes() throws IOException {
		Map<String, Object> parameter = map(
				map(load("heat/test/fake-server.yaml").get("parameters")).get("config_drive"));
		assertThat(parameter.get("type")).isEqualTo("boolean");
	}

	private static Map<String, Object> load(String file) throws IOException {
		return new Yaml().load(Files.readString(Path.of(file)));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object value) {
		assertThat(value).isInstanceOf(Map.class);
		return (Map<String, Object>) value;
	}

}
