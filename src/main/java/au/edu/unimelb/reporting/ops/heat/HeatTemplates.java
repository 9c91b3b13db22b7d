package au.edu.unimelb.reporting.ops.heat;

import java.util.List;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * Loads HOT templates and environments from {@code ops.heat.directory}, or else from
 * {@code heat/} on the classpath (the repository's top-level {@code heat/} folder,
 * packaged into the jar).
 */
@Component
public class HeatTemplates {

	private static final String FOLDER = "heat/";

	private final HeatSettings settings;

	public HeatTemplates(HeatSettings settings) {
		this.settings = settings;
	}

	/**
	 * @param template the template's file name under {@code heat/}
	 * ({@code app-server.yaml})
	 * @param environment an environment under {@code heat/}
	 * ({@code test/loopback-env.yaml}), or {@code null}
	 * @return the template with the environment and every provider template the
	 * environment maps a type to
	 */
	public HeatTemplate load(String template, String environment) {
		String body = read(template);
		if (environment == null || environment.isBlank()) {
			return new HeatTemplate(template, body, null, Map.of());
		}
		String environmentBody = read(environment);
		String folder = environment.contains("/") ? environment.substring(0, environment.lastIndexOf('/') + 1) : "";
		Map<String, String> files = new LinkedHashMap<>();
		for (String file : providerFiles(environmentBody)) {
			files.put(file, read(folder + file));
		}
		return new HeatTemplate(template, body, environmentBody, files);
	}

	private static List<String> providerFiles(String environment) {
		Object parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(environment);
		if (!(parsed instanceof Map<?, ?> root) || !(root.get("resource_registry") instanceof Map<?, ?> registry)) {
			return List.of();
		}
		return registry.values()
			.stream()
			.filter(String.class::isInstance)
			.map(String.class::cast)
			.filter((value) -> value.endsWith(".yaml") || value.endsWith(".yml"))
			.distinct()
			.toList();
	}

	private String read(String name) {
		if (name.contains("..") || name.startsWith("/")) {
			throw new IllegalArgumentException("Template names stay under heat/: " + name);
		}
		if (this.settings.directory() != null) {
			Path file = this.settings.directory().resolve(name);
			try {
				return Files.readString(file, StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot read template " + file, ex);
			}
		}
		ClassPathResource resource = new ClassPathResource(FOLDER + name);
		if (!resource.exists()) {
			throw new IllegalArgumentException("No template heat/" + name + " in this build");
		}
		try (InputStream in = resource.getInputStream()) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read heat/" + name, ex);
		}
	}

}
