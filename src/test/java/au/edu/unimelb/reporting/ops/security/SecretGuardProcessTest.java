package au.edu.unimelb.reporting.ops.security;

import java.util.List;

import au.edu.unimelb.reporting.ops.config.Secret;
import au.edu.unimelb.reporting.ops.config.SecretGuard;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cfg.StandaloneInMemProcessEngineConfiguration;
import org.camunda.bpm.engine.variable.Variables;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * On a real (in-memory) engine with the guard installed, a variable that carries a
 * configured secret is refused from every way in, the transaction rolls back, and nothing
 * of it is stored.
 */
class SecretGuardProcessTest {

	static final String SECRET = "gpg-passphrase-for-tests";

	static ProcessEngine engine;

	@BeforeAll
	static void startEngine() {
		StandaloneInMemProcessEngineConfiguration configuration = new StandaloneInMemProcessEngineConfiguration();
		configuration.setJdbcUrl("jdbc:h2:mem:secret-guard;DB_CLOSE_DELAY=1000");
		configuration.setProcessEngineName("secret-guard");
		configuration.setHistory(ProcessEngineConfiguration.HISTORY_FULL);
		configuration.setEnforceHistoryTimeToLive(true);
		SecretGuard guard = new SecretGuard(List.of(Secret.of(SECRET)));
		new SecretGuardPlugin(guard).preInit(configuration);
		engine = configuration.buildProcessEngine();
		engine.getRepositoryService().createDeployment().addClasspathResource("processes/smoke-test.bpmn").deploy();
	}

	@AfterAll
	static void stopEngine() {
		engine.close();
	}

	@Test
	void refusesASecretAsStartVariable() {
		RuntimeService runtime = engine.getRuntimeService();
		long before = runtime.createProcessInstanceQuery().count();

		assertThatThrownBy(() -> runtime.startProcessInstanceByKey("smoke-test",
				Variables.createVariables().putValue("message", "PASSPHRASE=" + SECRET)))
			.isInstanceOf(ProcessEngineException.class)
			.hasMessageContaining("Refused to store variable 'message'")
			.hasMessageNotContaining(SECRET);

		assertThat(runtime.createProcessInstanceQuery().count()).isEqualTo(before);
		assertThat(engine.getHistoryService().createHistoricVariableInstanceQuery().variableName("message").list())
			.allSatisfy((variable) -> assertThat(String.valueOf(variable.getValue())).doesNotContain(SECRET));
	}

	@Test
	void refusesASecretSetLaterAsATypedValue() {
		RuntimeService runtime = engine.getRuntimeService();
		String id = runtime.startProcessInstanceByKey("smoke-test", Variables.putValue("message", "hello")).getId();

		assertThatThrownBy(() -> runtime.setVariable(id, "note", Variables.stringValue(SECRET)))
			.isInstanceOf(ProcessEngineException.class);

		assertThat(runtime.getVariable(id, "note")).isNull();
		assertThat(runtime.getVariable(id, "message")).isEqualTo("hello");
	}

	@Test
	void keepsOrdinaryStringsWorking() {
		ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) engine
			.getProcessEngineConfiguration();
		String id = engine.getRuntimeService()
			.startProcessInstanceByKey("smoke-test", Variables.putValue("message", "build-2026.11.24"))
			.getId();
		assertThat(engine.getRuntimeService().getVariable(id, "message")).isEqualTo("build-2026.11.24");
		assertThat(configuration.getVariableSerializers().getSerializerByName(SecretRejectingSerializer.NAME))
			.isNotNull();
	}

}
