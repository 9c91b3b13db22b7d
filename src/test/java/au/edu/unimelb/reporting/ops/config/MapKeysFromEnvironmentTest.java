package au.edu.unimelb.reporting.ops.config;

import java.util.LinkedHashMap;
import java.util.Map;

import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings.StackSettings;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.SpringApplicationJsonEnvironmentPostProcessor;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Heat template parameter whose name holds {@code _} ({@code key_name}) cannot be set
 * through an environment variable of its own: relaxed binding reads every {@code _} of a
 * variable's name as a {@code .}, so the map key arrives as {@code key.name}, a parameter
 * the template does not have. {@code SPRING_APPLICATION_JSON} keeps the key as it is
 * written. The environment is built the way the service's start builds it (the process
 * environment, then Spring Boot's own JSON post-processor) and bound to the service's
 * real settings type. docs/operations.md tells operators.
 */
class MapKeysFromEnvironmentTest {

	static final String JSON = """
			{"ops":{"environments":{"qa":{"stack":{"parameters":{"key_name":"ops-key"}}}}}}""";

	@Test
	void mapKeyWithUnderscoreArrivesThroughSpringApplicationJson() {
		StackSettings stack = qaStack(Map.of("SPRING_APPLICATION_JSON", JSON));

		assertThat(stack.parameters()).containsExactlyEntriesOf(Map.of("key_name", "ops-key"));
	}

	@Test
	void environmentVariableTurnsTheUnderscoreOfAMapKeyIntoADot() {
		StackSettings stack = qaStack(Map.of("OPS_ENVIRONMENTS_QA_STACK_PARAMETERS_KEY_NAME", "from-variable"));

		assertThat(stack.parameters()).doesNotContainKey("key_name").containsEntry("key.name", "from-variable");
	}

	@Test
	void variableBesideTheJsonNeverReachesKeyName() {
		Map<String, String> variables = new LinkedHashMap<>();
		variables.put("SPRING_APPLICATION_JSON", JSON);
		variables.put("OPS_ENVIRONMENTS_QA_STACK_PARAMETERS_KEY_NAME", "from-variable");
		// a key without "_" is fine as a variable of its own, beside the JSON
		variables.put("OPS_ENVIRONMENTS_QA_STACK_PARAMETERS_IMAGE", "debian-12");

		StackSettings stack = qaStack(variables);

		assertThat(stack.parameters()).containsEntry("key_name", "ops-key").containsEntry("image", "debian-12");
		// the variable never reaches key_name; it adds a parameter of its own, which the
		// template does not define (Heat refuses the stack): set such keys in the JSON
		// only
		assertThat(stack.parameters()).containsEntry("key.name", "from-variable").hasSize(3);
	}

	/**
	 * Binds {@code ops.environments} from these process environment variables alone and
	 * returns QA's stack settings.
	 */
	private static StackSettings qaStack(Map<String, String> variables) {
		StandardEnvironment environment = new StandardEnvironment();
		MutablePropertySources sources = environment.getPropertySources();
		sources.remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
		sources.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
				new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
						new LinkedHashMap<>(variables)));
		new SpringApplicationJsonEnvironmentPostProcessor().postProcessEnvironment(environment,
				new SpringApplication());
		EnvironmentsSettings environments = Binder.get(environment)
			.bind("ops.environments", EnvironmentsSettings.class)
			.get();
		return environments.qa().stack();
	}

}
