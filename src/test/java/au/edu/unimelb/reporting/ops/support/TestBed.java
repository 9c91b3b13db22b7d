package au.edu.unimelb.reporting.ops.support;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The loopback OpenStack test bed that {@code scripts/test.sh} starts
 * ({@code scripts/testbed/}): Keystone + Heat and Swift, with the credentials it
 * generated in {@code testbed/openstack.env} (or the file named by
 * {@code OPS_TESTBED_ENV}).
 */
public final class TestBed {

	/**
	 * The production template's cloud parameters ({@code heat/app-server.yaml}), with
	 * loopback stand-in values.
	 */
	public static final Map<String, String> CLOUD_PARAMETERS = Map.of("image", "debian-12", "flavor", "m1.small",
			"key_name", "reporting-ops", "network", "reporting-net", "web_front_cidr", "127.0.0.1/32", "ops_cidr",
			"127.0.0.1/32", "artifact_url", "https://artifacts.example.edu.au/reporting/{build}/reporting.tar.gz");

	private final Properties values;

	private TestBed(Properties values) {
		this.values = values;
	}

	public static TestBed load() {
		String named = System.getenv("OPS_TESTBED_ENV");
		Path file = (named != null && !named.isBlank()) ? Path.of(named) : Path.of("testbed/openstack.env");
		if (!Files.isReadable(file)) {
			throw new IllegalStateException("No test bed credentials at " + file.toAbsolutePath()
					+ ": run the tests through scripts/test.sh, which starts Keystone, Heat and Swift on loopback");
		}
		Properties properties = new Properties();
		try (Reader reader = Files.newBufferedReader(file)) {
			properties.load(reader);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot read " + file, ex);
		}
		return new TestBed(properties);
	}

	public String get(String name) {
		String value = this.values.getProperty(name);
		if (value == null) {
			throw new IllegalStateException("The test bed credentials lack " + name);
		}
		return value.strip();
	}

}
