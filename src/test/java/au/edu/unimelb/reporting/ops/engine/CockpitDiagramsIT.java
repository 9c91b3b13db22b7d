package au.edu.unimelb.reporting.ops.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import au.edu.unimelb.reporting.ops.support.Browser;
import au.edu.unimelb.reporting.ops.support.RunningService;
import au.edu.unimelb.reporting.ops.support.ThreadDumpOnTimeout;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every model under {@code processes/} as an operator sees it: logged in to Cockpit in
 * headless Chromium, the process definition's page draws the diagram with every flow node
 * of the model. Saves a screenshot of each ({@code target/screenshots/}; the
 * {@code processes/*.png} that docs/processes.md and the README show come from it).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(ThreadDumpOnTimeout.class)
class CockpitDiagramsIT {

	static final String PASSWORD = "cockpit-it-admin-5e1f";

	@Test
	void cockpitDrawsEveryFlowNodeOfEveryModel(@TempDir Path dir) throws Exception {
		try (RunningService service = RunningService
			.start(Map.of("ops.data-dir", dir.resolve("data").toString(), "ops.security.admin-password", PASSWORD));
				Browser browser = Browser.start()) {
			browser.login(service.baseUrl(), "cockpit", "admin", PASSWORD);
			List<ProcessDefinition> definitions = service.bean(RepositoryService.class)
				.createProcessDefinitionQuery()
				.latestVersion()
				.list();
			assertThat(definitions).extracting(ProcessDefinition::getKey)
				.contains("deploy-replace", "rollback", "nightly-backup", "qa-restore");
			for (ProcessDefinition definition : definitions) {
				Path file = Path.of("processes", definition.getKey() + ".bpmn");
				if (!Files.exists(file)) {
					continue; // a test model (src/test/resources)
				}
				BpmnModelInstance model = Bpmn.readModelFromFile(file.toFile());
				browser.open(service.baseUrl() + "/camunda/app/cockpit/default/#/process-definition/"
						+ definition.getId() + "/runtime");
				browser.await(By.cssSelector(".djs-container svg"), Duration.ofSeconds(60));
				for (FlowNode node : model.getModelElementsByType(FlowNode.class)) {
					browser.await(By.cssSelector("g.djs-element[data-element-id='" + node.getId() + "']"),
							Duration.ofSeconds(10));
				}
				Thread.sleep(500);
				Path shot = browser.screenshot("cockpit-" + definition.getKey());
				assertThat(Files.size(shot)).isPositive();
			}
		}
	}

}
