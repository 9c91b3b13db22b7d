package au.edu.unimelb.reporting.ops.dependencies;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.health.AdditionalHealthEndpointPath;
import org.springframework.boot.actuate.health.HealthEndpointGroup;
import org.springframework.boot.actuate.health.HealthEndpointGroups;
import org.springframework.boot.actuate.health.HttpCodeStatusMapper;
import org.springframework.boot.actuate.health.StatusAggregator;

import static org.assertj.core.api.Assertions.assertThat;

class DependencyHealthConfigurationTest {

	@Test
	void theMainHealthLeavesTheDependenciesOutWithEveryPartBelowThem() {
		HealthEndpointGroup everything = new Everything();
		HealthEndpointGroups groups = DependencyHealthConfiguration.dependenciesOutOfTheMainHealth()
			.postProcessHealthEndpointGroups(HealthEndpointGroups.of(everything, Map.of("dependencies", everything)));
		HealthEndpointGroup main = groups.getPrimary();
		assertThat(main.isMember("db")).isTrue();
		assertThat(main.isMember("readinessState")).isTrue();
		assertThat(main.isMember("heatmap")).isTrue();
		assertThat(main.isMember("heat")).isFalse();
		// the endpoint asks for each leaf of a composite by its path
		assertThat(main.isMember("heat/qa")).isFalse();
		assertThat(main.isMember("webFront/prod")).isFalse();
		assertThat(main.isMember("backupTarget")).isFalse();
		assertThat(groups.get("dependencies").isMember("heat/qa")).isTrue();
	}

	private static final class Everything implements HealthEndpointGroup {

		@Override
		public boolean isMember(String name) {
			return true;
		}

		@Override
		public boolean showComponents(SecurityContext securityContext) {
			return true;
		}

		@Override
		public boolean showDetails(SecurityContext securityContext) {
			return false;
		}

		@Override
		public StatusAggregator getStatusAggregator() {
			return StatusAggregator.getDefault();
		}

		@Override
		public HttpCodeStatusMapper getHttpCodeStatusMapper() {
			return HttpCodeStatusMapper.DEFAULT;
		}

		@Override
		public AdditionalHealthEndpointPath getAdditionalPath() {
			return null;
		}

	}

}
