package au.edu.unimelb.reporting.ops.security;

import java.util.ArrayList;
import java.util.List;

import au.edu.unimelb.reporting.ops.config.SecretGuard;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.variable.serializer.TypedValueSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes it impossible to store a configured secret in a process variable (design safety
 * rule 6): the engine asks {@link SecretRejectingSerializer} first for every string
 * variable.
 */
class SecretGuardPlugin extends AbstractProcessEnginePlugin {

	private static final Logger log = LoggerFactory.getLogger(SecretGuardPlugin.class);

	private final SecretGuard guard;

	SecretGuardPlugin(SecretGuard guard) {
		this.guard = guard;
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
