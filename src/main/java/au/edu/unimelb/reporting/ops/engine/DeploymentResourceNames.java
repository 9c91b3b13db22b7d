package au.edu.unimelb.reporting.ops.engine;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;

import org.camunda.bpm.spring.boot.starter.configuration.CamundaDeploymentConfiguration;
import org.camunda.bpm.spring.boot.starter.configuration.impl.DefaultDeploymentConfiguration;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.AbstractResource;
import org.springframework.core.io.Resource;

/**
 * Deploys the models and forms under {@code processes/} under their file names
 * ({@code release.bpmn}, {@code uat-approval.html}) however the service runs. Camunda
 * names a resource it can open as a file by its absolute path (from
 * {@code target/classes} under {@code mvn spring-boot:run} and in the tests) and one
 * inside the jar by its file name; a form key such as
 * {@code embedded:deployment:uat-approval.html} then works in one and not the other, and
 * the same model deployed both ways counts as changed.
 */
@Configuration(proxyBeanMethods = false)
class DeploymentResourceNames {

	@Bean
	CamundaDeploymentConfiguration camundaDeploymentConfiguration() {
		return new DefaultDeploymentConfiguration() {

			@Override
			public Set<Resource> getDeploymentResources() {
				return super.getDeploymentResources().stream()
					.map(NamedByFile::new)
					.collect(Collectors.toCollection(LinkedHashSet::new));
			}

		};
	}

	/** A resource that offers only its file name and contents, never a file. */
	static final class NamedByFile extends AbstractResource {

		private final Resource resource;

		NamedByFile(Resource resource) {
			this.resource = resource;
		}

		@Override
		public String getFilename() {
			return this.resource.getFilename();
		}

		@Override
		public String getDescription() {
			return this.resource.getDescription();
		}

		@Override
		public InputStream getInputStream() throws IOException {
			return this.resource.getInputStream();
		}

		@Override
		public boolean exists() {
			return this.resource.exists();
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof NamedByFile named && named.getDescription().equals(getDescription());
		}

		@Override
		public int hashCode() {
			return getDescription().hashCode();
		}

	}

}
