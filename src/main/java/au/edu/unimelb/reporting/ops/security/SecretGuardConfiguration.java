package au.edu.unimelb.reporting.ops.security;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import au.edu.unimelb.reporting.ops.config.HasSecrets;
import au.edu.unimelb.reporting.ops.config.Secret;
import au.edu.unimelb.reporting.ops.config.SecretGuard;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Collects every configured secret (each settings bean that {@link HasSecrets}, and the
 * engine database's own password) into one {@link SecretGuard}, and installs it in the
 * engine.
 */
@Configuration(proxyBeanMethods = false)
class SecretGuardConfiguration {

	@Bean
	SecretGuard secretGuard(List<HasSecrets> settings, ObjectProvider<DataSourceProperties> dataSource) {
		List<Secret> secrets = new ArrayList<>();
		settings.stream().flatMap(HasSecrets::secrets).forEach(secrets::add);
		dataSource.ifAvailable((properties) -> Stream.ofNullable(properties.getPassword())
			.filter((password) -> !password.isBlank())
			.map(Secret::of)
			.forEach(secrets::add));
		return new SecretGuard(secrets);
	}

	@Bean
	SecretGuardPlugin secretGuardPlugin(SecretGuard guard) {
		return new SecretGuardPlugin(guard);
	}

	@Bean
	OperatorOnlyCommandsPlugin operatorOnlyCommandsPlugin() {
		return new OperatorOnlyCommandsPlugin();
	}

}
