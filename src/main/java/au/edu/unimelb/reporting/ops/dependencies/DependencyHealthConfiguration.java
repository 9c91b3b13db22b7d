package au.edu.unimelb.reporting.ops.dependencies;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings;
import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings.WebFrontSettings;
import au.edu.unimelb.reporting.ops.heat.HeatStacks;
import au.edu.unimelb.reporting.ops.ssh.SshBanner;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.health.AdditionalHealthEndpointPath;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthEndpointGroup;
import org.springframework.boot.actuate.health.HealthEndpointGroups;
import org.springframework.boot.actuate.health.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.actuate.health.HttpCodeStatusMapper;
import org.springframework.boot.actuate.health.StatusAggregator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The health of the outside systems, in the group {@code dependencies}
 * ({@code /actuator/health/dependencies}): {@code heat} (each environment's Keystone and
 * Heat) and {@code webFront} (each environment's web front's SSH) here,
 * {@code backupTarget} in {@code nightly}. They are left out of {@code /actuator/health}
 * itself ({@link #dependenciesOutOfTheMainHealth}), so that an outage of Heat never makes
 * a load balancer or an orchestrator take the service out: it can still run everything
 * else, and its steps retry.
 */
@Configuration(proxyBeanMethods = false)
class DependencyHealthConfiguration {

	/**
	 * The group's name, and the components in it (as {@code application.yml} lists them).
	 */
	static final String GROUP = "dependencies";

	static final Set<String> COMPONENTS = Set.of("heat", "webFront", "backupTarget");

	@Bean
	HealthContributor heatHealthContributor(EnvironmentsSettings environments, HeatStacks heat,
			DependencyChecks checks) {
		Map<String, DependencyCheck> parts = new LinkedHashMap<>();
		for (String environment : EnvironmentsSettings.NAMES) {
			environments.find(environment)
				.ifPresent(
						(settings) -> parts.put(environment, checks.check("Keystone and Heat of " + environment, () -> {
							heat.ping(environment, checks.settings().timeout());
							return Health.up().withDetail("authUrl", settings.cloud().authUrl()).build();
						})));
		}
		return DependencyChecks.composite(parts, "no environment is configured");
	}

	@Bean
	HealthContributor webFrontHealthContributor(EnvironmentsSettings environments, DependencyChecks checks) {
		Map<String, DependencyCheck> parts = new LinkedHashMap<>();
		for (String environment : EnvironmentsSettings.NAMES) {
			environments.find(environment).ifPresent((settings) -> {
				WebFrontSettings front = settings.webFront();
				parts.put(environment, checks.check("the " + environment + " web front's SSH", () -> {
					String banner = SshBanner.read(front.host(), front.port(), checks.settings().timeout());
					return Health.up()
						.withDetail("ssh", front.host() + ":" + front.port())
						.withDetail("banner", banner)
						.build();
				}));
			});
		}
		return DependencyChecks.composite(parts, "no environment is configured");
	}

	/**
	 * Leaves the components of {@link #COMPONENTS} out of the main health
	 * ({@code /actuator/health}); the group {@code dependencies} shows them.
	 */
	@Bean
	static HealthEndpointGroupsPostProcessor dependenciesOutOfTheMainHealth() {
		return (groups) -> {
			Map<String, HealthEndpointGroup> named = new HashMap<>();
			groups.getNames().forEach((name) -> named.put(name, groups.get(name)));
			return HealthEndpointGroups.of(new Without(groups.getPrimary(), COMPONENTS), named);
		};
	}

	/** A group as another, without some components. */
	private record Without(HealthEndpointGroup group, Set<String> left) implements HealthEndpointGroup {

		/**
		 * @param name a component ({@code backupTarget}) or, below a composite one, its
		 * path ({@code heat/qa}: the endpoint asks for each leaf)
		 */
		@Override
		public boolean isMember(String name) {
			int slash = name.indexOf('/');
			String top = (slash < 0) ? name : name.substring(0, slash);
			return !this.left.contains(top) && this.group.isMember(name);
		}

		@Override
		public boolean showComponents(SecurityContext securityContext) {
			return this.group.showComponents(securityContext);
		}

		@Override
		public boolean showDetails(SecurityContext securityContext) {
			return this.group.showDetails(securityContext);
		}

		@Override
		public StatusAggregator getStatusAggregator() {
			return this.group.getStatusAggregator();
		}

		@Override
		public HttpCodeStatusMapper getHttpCodeStatusMapper() {
			return this.group.getHttpCodeStatusMapper();
		}

		@Override
		public AdditionalHealthEndpointPath getAdditionalPath() {
			return this.group.getAdditionalPath();
		}

	}

}
