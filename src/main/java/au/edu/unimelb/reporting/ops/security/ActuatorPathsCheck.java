package au.edu.unimelb.reporting.ops.security;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The logins of the actuator's endpoints are filters on their paths
 * ({@link RestSecurityConfiguration}): {@code /actuator/prometheus} and
 * {@code /actuator/info} on the service's own port. Another base path, or a management
 * port of its own (where the service's filters do not run), would serve the metrics to
 * anyone: the start is refused instead.
 */
@Component
class ActuatorPathsCheck {

	ActuatorPathsCheck(@Value("${management.endpoints.web.base-path:/actuator}") String basePath,
			@Value("${management.server.port:}") String managementPort, @Value("${server.port:8080}") String port) {
		if (!"/actuator".equals(basePath)) {
			throw new IllegalStateException("Setting management.endpoints.web.base-path must stay /actuator (it is '"
					+ basePath + "'): the metrics' login guards that path only");
		}
		if (!managementPort.isBlank() && !managementPort.strip().equals(port.strip())) {
			throw new IllegalStateException("Setting management.server.port must be unset (it is '" + managementPort
					+ "'): on a port of its own the actuator runs without the service's logins");
		}
	}

}
