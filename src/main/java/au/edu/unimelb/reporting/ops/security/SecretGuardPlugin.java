package au.edu.unimelb.reporting.ops.security;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import au.edu.unimelb.reporting.ops.config.HasSecrets;
import au.edu.unimelb.reporting.ops.config.Secret;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.variable.serializer.TypedValueSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.stereotype.Component;

/**
 * Makes it impossible to store a configured secret in a process variable (design safety
 * rule 6): every settings bean that {@link HasSecrets}, and the engine database's own
 * password, feed a {@link SecretGuard}; the engine asks {@link SecretRejectingSerializer}
 * first for every string variable.
 */
@Component
class SecretGuardPlugin extends AbstractProcessEnginePlugin {

	private static final Logger log = LoggerFactory.getLogger(SecretGuardPlugin.class);

	private final SecretGuard guard;

	SecretGuardPlugin(List<HasSecrets> settings, ObjectProvider<DataSourceProperties> dataSource) {
		List<Secret> secrets = new ArrayList<>();
		settings.stream().flatMap(HasSecrets::secrets).forEach(secrets::add);
		dataSource.ifAvailable((properties) -> Stream.ofNullable(properties.getPassword())
			.filter((password) -> !password.isBlank())
			.map(Secret::of)
			.forEach(secrets::add));
		this.guard = new SecretGuard(secrets);
	}

	SecretGuard guard() {
		return this.guard;
	}

	@Override
	@SuppressWarnings("rawtypes")
	public void preInit(ProcessEngineConfigurationImpl configuration) {
		List<TypedValueSerializer> first = new ArrayList<>();
		first.add(new SecretRejectingSerializer(this.guard));
		if (configuration.getCustomPreVariableSerializers() != null) {
			first.addAll(configuration.getCustomPreVariableSerializers());
		}
		configuration.setCustomPreVariableSerializers(first);
		log.info("Secret guard active: {} configured secret(s) can never be stored in a process variable",
				this.guard.size());
	}

}
