package au.edu.unimelb.reporting.ops.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import au.edu.unimelb.reporting.ops.config.ServiceSettings;
import au.edu.unimelb.reporting.ops.nightly.BackupSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * What {@code docker-compose.yml} hands the service, read without compose: the service's
 * image is built from the {@code Dockerfile}, and the variables it sets reach the
 * settings they are meant for, bound as at start (the environment over
 * {@code application.yml}, through Spring Boot's relaxed binding).
 * {@code DockerComposeFileIT} checks that compose itself accepts the file.
 */
class DockerComposeFileTest {

	static final Path COMPOSE = Path.of("docker-compose.yml");

	static final String SERVICE = "reporting-ops";

	/** What compose refuses to start without. */
	static final Map<String, String> SECRETS = Map.of("OPS_DB_PASSWORD", "db-pw", "OPS_ADMIN_PASSWORD", "admin-pw",
			"OPS_JENKINS_PASSWORD", "jenkins-pw");

	/**
	 * {@code ${NAME}}, {@code ${NAME:-default}}, {@code ${NAME:?message}} and the like.
	 */
	private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{(\\w+)(?:(:?[-?])([^}]*))?}");

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

	@Test
	void setsTheTimeZoneSettingFromOpsTimeZone() throws IOException {
		StandardEnvironment environment = environment(Map.of("OPS_TIME_ZONE", "UTC"));
		Binder binder = Binder.get(environment);
		ServiceSettings settings = binder.bind("ops", ServiceSettings.class).get();
		assertThat(settings.timeZone()).as("ops.time-zone").isEqualTo(ZoneId.of("UTC"));
		assertThat(settings.dataDir()).as("ops.data-dir").isEqualTo(Path.of("/var/lib/reporting-ops"));
		assertThat(binder.bind("ops.backup", BackupSettings.class).get().timeZone())
			.as("ops.backup.time-zone, which follows ops.time-zone")
			.isEqualTo(ZoneId.of("UTC"));
		assertThat(environment.getProperty("spring.jackson.time-zone")).isEqualTo("UTC");
	}

	@Test
	void keepsMelbourneWhenOpsTimeZoneIsNotSet() throws IOException {
		Binder binder = Binder.get(environment(Map.of()));
		assertThat(binder.bind("ops", ServiceSettings.class).get().timeZone())
			.isEqualTo(ZoneId.of("Australia/Melbourne"));
	}

	/**
	 * Spring Boot's own form drops the dash ({@code OPS_TIMEZONE}); the form with an
	 * underscore for it ({@code OPS_TIME_ZONE}) binds too. The compose file's bug was not
	 * the name: its OPS_TIME_ZONE never reached the container.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "OPS_TIMEZONE", "OPS_TIME_ZONE" })
	void bindsADashedSettingFromEitherEnvironmentForm(String variable) throws IOException {
		Binder binder = Binder.get(startingWith(Map.of(variable, "UTC")));
		assertThat(binder.bind("ops", ServiceSettings.class).get().timeZone()).isEqualTo(ZoneId.of("UTC"));
	}

	@Test
	void interpolatesAsComposeDoes() {
		Map<String, String> given = Map.of("SET", "given", "EMPTY", "");
		assertThat(interpolate("${SET:-x}/${UNSET:-x}/${EMPTY:-x}/${EMPTY-x}/$${SET}", given))
			.isEqualTo("given/x/x//${SET}");
		assertThatIllegalStateException().isThrownBy(() -> interpolate("${UNSET:?set UNSET}", given))
			.withMessage("UNSET: set UNSET");
	}

	/**
	 * The service's environment as compose sets it, given these variables (and the
	 * secrets), over the service's {@code application.yml}.
	 */
	private static StandardEnvironment environment(Map<String, String> given) throws IOException {
		Map<String, String> variables = new LinkedHashMap<>(SECRETS);
		variables.putAll(given);
		Map<String, Object> container = new LinkedHashMap<>();
		serviceEnvironment().forEach((name, value) -> container.put(name, interpolate(value, variables)));
		return startingWith(container);
	}

	/**
	 * The environment the service starts with: these process environment variables over
	 * its {@code application.yml}.
	 */
	private static StandardEnvironment startingWith(Map<String, Object> variables) throws IOException {
		StandardEnvironment environment = new StandardEnvironment();
		// under the name Spring Boot gives the process environment, as only there do the
		// environment forms of the names (OPS_TIMEZONE for ops.time-zone) apply
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
		environment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
		for (PropertySource<?> yaml : new YamlPropertySourceLoader().load("application.yml",
				new ClassPathResource("application.yml"))) {
			environment.getPropertySources().addLast(yaml);
		}
		ConfigurationPropertySources.attach(environment);
		return environment;
	}

	/** Compose's {@code ${NAME:-default}} and the like; {@code $$} is a dollar sign. */
	static String interpolate(String value, Map<String, String> variables) {
		Matcher variable = INTERPOLATION.matcher(value);
		StringBuilder result = new StringBuilder();
		int end = 0;
		while (variable.find()) {
			if (variable.start() > 0 && value.charAt(variable.start() - 1) == '$') {
				continue;
			}
			result.append(value, end, variable.start());
			String set = variables.get(variable.group(1));
			String operator = variable.group(2);
			boolean missing = (operator != null && operator.startsWith(":")) ? (set == null || set.isEmpty())
					: set == null;
			if (missing && operator != null && operator.endsWith("?")) {
				throw new IllegalStateException(variable.group(1) + ": " + variable.group(3));
			}
			result.append(missing ? ((operator != null) ? variable.group(3) : "") : set);
			end = variable.end();
		}
		return result.append(value.substring(end)).toString().replace("$$", "$");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, String> serviceEnvironment() throws IOException {
		Object environment = service().get("environment");
		Map<String, String> variables = new LinkedHashMap<>();
		if (environment instanceof Map<?, ?> map) {
			map.forEach((name, value) -> variables.put(String.valueOf(name), String.valueOf(value)));
		}
		else {
			for (String line : (List<String>) environment) {
				String[] parts = line.split("=", 2);
				variables.put(parts[0], (parts.length > 1) ? parts[1] : "");
			}
		}
		return variables;
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
