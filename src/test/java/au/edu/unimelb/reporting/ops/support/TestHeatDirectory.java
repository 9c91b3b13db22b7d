package au.edu.unimelb.reporting.ops.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A copy of the repository's {@code heat/} for a test ({@code ops.heat.directory}), whose
 * loopback environment's knobs ({@code parameter_defaults} of
 * {@code test/loopback-env.yaml}) the test sets before each stack create: the fake
 * server's address, a failing create, a slow create.
 */
public final class TestHeatDirectory {

	private final Path dir;

	private TestHeatDirectory(Path dir) {
		this.dir = dir;
	}

	public static TestHeatDirectory copyOf(Path source, Path target) throws IOException {
		try (Stream<Path> files = Files.walk(source)) {
			for (Path file : files.toList()) {
				Path copy = target.resolve(source.relativize(file).toString());
				if (Files.isDirectory(file)) {
					Files.createDirectories(copy);
				}
				else {
					Files.copy(file, copy);
				}
			}
		}
		TestHeatDirectory directory = new TestHeatDirectory(target);
		directory.knobs(Map.of());
		return directory;
	}

	public Path path() {
		return this.dir;
	}

	/**
	 * Rewrites the knobs; those not given take the loopback defaults.
	 * @param knobs for example {@code fake_server_ip -> 127.0.0.12},
	 * {@code fake_server_fail -> true}
	 */
	public void knobs(Map<String, String> knobs) throws IOException {
		Map<String, String> all = new LinkedHashMap<>();
		all.put("fake_server_ip", "127.0.0.11");
		all.put("fake_server_ips", "{}");
		all.put("fake_server_fail", "false");
		all.put("fake_server_fail_stacks", "[]");
		all.put("fake_server_create_secs", "0");
		all.put("fake_server_create_secs_by_stack", "{}");
		all.put("fake_server_delete_secs", "0");
		all.putAll(knobs);
		Path environment = this.dir.resolve("test/loopback-env.yaml");
		String text = Files.readString(environment);
		int defaults = text.indexOf("\nparameter_defaults:");
		StringBuilder rewritten = new StringBuilder(text.substring(0, defaults)).append("\nparameter_defaults:\n");
		all.forEach((name, value) -> rewritten.append("  ").append(name).append(": ").append(value).append('\n'));
		Files.writeString(environment, rewritten.toString());
	}

}
