package au.edu.unimelb.reporting.ops.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnEdge;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnShape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every model the service or its tests deploy follows the house rules: the file name is
 * the process key, it has a history time-to-live, and every element has a diagram shape
 * so that Cockpit and Modeler draw it.
 */
class ModelConventionsTest {

	static Stream<Path> models() throws IOException {
		List<Path> folders = List.of(Path.of("processes"), Path.of("src/test/resources/processes"));
		Stream<Path> all = Stream.empty();
		for (Path folder : folders) {
			if (Files.isDirectory(folder)) {
				try (Stream<Path> files = Files.list(folder)) {
					all = Stream.concat(all, files.filter((f) -> f.toString().endsWith(".bpmn")).toList().stream());
				}
			}
		}
		List<Path> found = all.sorted().toList();
		assertThat(found).as("at least the test model is found").isNotEmpty();
		return found.stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("models")
	void followsTheHouseRules(Path file) {
		BpmnModelInstance model = Bpmn.readModelFromFile(file.toFile());
		Bpmn.validateModel(model);
		String key = file.getFileName().toString().replaceFirst("\\.bpmn$", "");

		List<Process> executable = model.getModelElementsByType(Process.class)
			.stream()
			.filter(Process::isExecutable)
			.toList();
		assertThat(executable).as("one executable process").hasSize(1);
		Process process = executable.get(0);
		assertThat(process.getId()).as("the file name is the process key").isEqualTo(key);
		assertThat(process.getCamundaHistoryTimeToLiveString()).as("history time-to-live").isNotBlank();

		Set<String> shapes = model.getModelElementsByType(BpmnShape.class)
			.stream()
			.map((shape) -> shape.getBpmnElement().getId())
			.collect(Collectors.toSet());
		Set<String> edges = model.getModelElementsByType(BpmnEdge.class)
			.stream()
			.map((edge) -> edge.getBpmnElement().getId())
			.collect(Collectors.toSet());
		assertThat(shapes).as("every flow node is drawn")
			.containsAll(ids(model.getModelElementsByType(FlowNode.class).stream()));
		assertThat(edges).as("every sequence flow is drawn")
			.containsAll(ids(model.getModelElementsByType(SequenceFlow.class).stream()));
	}

	private static Set<String> ids(Stream<? extends BaseElement> elements) {
		return elements.map(BaseElement::getId).collect(Collectors.toSet());
	}

}
