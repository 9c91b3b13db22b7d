package au.edu.unimelb.reporting.ops.security;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * In {@code ldap} mode ({@code ops.identity.mode=ldap}), the engine reads users and
 * groups from the directory ({@link DirectoryPlugin}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "ops.identity.mode", havingValue = "ldap")
class DirectoryConfiguration {

	@Bean
	DirectoryPlugin directoryPlugin(IdentitySettings settings) {
		return new DirectoryPlugin(settings.ldap());
	}

}
