package au.edu.unimelb.reporting.ops.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import au.edu.unimelb.reporting.ops.ReportingOpsApplication;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole service, started in this JVM on a free loopback port with the given settings,
 * for integration tests.
 */
public final class RunningService implements AutoCloseable {

	private final ServletWebServerApplicationContext context;

	private RunningService(ServletWebServerApplicationContext context) {
		this.context = context;
	}

	/**
	 * Starts the service.
	 * @param settings settings as {@code name -> value}, on top of
	 * {@code application.yml}
	 * @return the running service
	 */
	public static RunningService start(Map<String, String> settings) {
		List<String> arguments = new ArrayList<>();
		// a free port unless the settings name one (a name given twice would be a list)
		if (!settings.containsKey("server.port")) {
			arguments.add("--server.port=0");
		}
		arguments.add("--server.address=127.0.0.1");
		settings.forEach((name, value) -> arguments.add("--" + name + "=" + value));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(ReportingOpsApplication.class)
			// closed by its owner (a test, or the sandbox's own shutdown hook, which
			// needs it open until its stacks are deleted)
			.registerShutdownHook(false)
			.run(arguments.toArray(String[]::new));
		return new RunningService((ServletWebServerApplicationContext) context);
	}

	public String baseUrl() {
		return "http://127.0.0.1:" + this.context.getWebServer().getPort();
	}

	public ServiceClient client() {
		return new ServiceClient(baseUrl());
	}

	public <T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	@Override
	public void close() {
		this.context.close();
	}

}
