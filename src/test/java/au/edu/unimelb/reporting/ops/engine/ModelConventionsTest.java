package au.edu.unimelb.reporting.ops.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.Error;
import org.camunda.bpm.model.bpmn.instance.ExclusiveGateway;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnEdge;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnShape;
import org.camunda.bpm.model.bpmn.instance.dc.Bounds;
import org.camunda.bpm.model.bpmn.instance.di.Waypoint;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every model the service deploys ({@code processes/}), and the test model beside them
 * ({@code src/test/resources/processes/}), follows the house rules (the stubs under
 * {@code release-test/} and {@code cluster-test/} stand in for real models in the tests
 * that deploy them, and are not checked): the file name is the process key, it has a
 * history time-to-live, every id is readable, every element has a diagram shape and every
 * flow an edge that starts and ends at its elements, so that Cockpit and Modeler draw it.
 * (bpmnlint's recommended rules, run by {@code scripts/lint-models.sh}, check the rest of
 * how the models are drawn.)
 */
class ModelConventionsTest {

	/**
	 * Ids that tools generate: Modeler's ({@code Flow_0abc123}, {@code Gateway_1xyz0ab}),
	 * Signavio's ({@code sid-...}) and UUIDs.
	 */
	private static final Pattern GENERATED_ID = Pattern
		.compile("^sid-|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-|_[0-9][0-9a-z]{6}$");

	private static final Pattern ID_ATTRIBUTE = Pattern.compile("\\sid=\"([^\"]*)\"");

	/** How far an edge's end may lie outside its element's bounds (rounding). */
	private static final double TOUCHING = 2;

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

	@ParameterizedTest(name = "{0}")
	@MethodSource("models")
	void namesEveryElementReadably(Path file) throws IOException {
		Matcher ids = ID_ATTRIBUTE.matcher(Files.readString(file));
		while (ids.find()) {
			assertThat(ids.group(1)).as("a readable id, not a generated one").doesNotContainPattern(GENERATED_ID);
		}
		for (Error error : Bpmn.readModelFromFile(file.toFile()).getModelElementsByType(Error.class)) {
			assertThat(error.getId()).as("the id of the error with code %s", error.getErrorCode())
				.isEqualTo("Error_" + camelCase(error.getErrorCode()));
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("models")
	void decidesEveryBranchExplicitly(Path file) {
		BpmnModelInstance model = Bpmn.readModelFromFile(file.toFile());
		for (ExclusiveGateway gateway : model.getModelElementsByType(ExclusiveGateway.class)) {
			if (gateway.getOutgoing().size() > 1) {
				for (SequenceFlow flow : gateway.getOutgoing()) {
					assertThat(flow.equals(gateway.getDefault()) || flow.getConditionExpression() != null)
						.as("%s out of %s: the default flow or a condition", flow.getId(), gateway.getId())
						.isTrue();
				}
			}
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("models")
	void drawsEveryFlowFromItsSourceToItsTarget(Path file) {
		BpmnModelInstance model = Bpmn.readModelFromFile(file.toFile());
		Map<String, Bounds> bounds = model.getModelElementsByType(BpmnShape.class)
			.stream()
			.collect(Collectors.toMap((shape) -> shape.getBpmnElement().getId(), BpmnShape::getBounds));
		assertThat(bounds.values()).as("every shape has bounds").doesNotContainNull();
		for (BpmnEdge edge : model.getModelElementsByType(BpmnEdge.class)) {
			List<Waypoint> waypoints = List.copyOf(edge.getWaypoints());
			assertThat(waypoints).as("the waypoints of %s", edge.getId()).hasSizeGreaterThanOrEqualTo(2);
			if (edge.getBpmnElement() instanceof SequenceFlow flow) {
				assertThat(touches(waypoints.get(0), bounds.get(flow.getSource().getId())))
					.as("%s starts at %s", flow.getId(), flow.getSource().getId())
					.isTrue();
				assertThat(touches(waypoints.get(waypoints.size() - 1), bounds.get(flow.getTarget().getId())))
					.as("%s ends at %s", flow.getId(), flow.getTarget().getId())
					.isTrue();
			}
		}
	}

	private static boolean touches(Waypoint point, Bounds bounds) {
		return point.getX() >= bounds.getX() - TOUCHING && point.getX() <= bounds.getX() + bounds.getWidth() + TOUCHING
				&& point.getY() >= bounds.getY() - TOUCHING
				&& point.getY() <= bounds.getY() + bounds.getHeight() + TOUCHING;
	}

	/** {@code HOST_KEY_MISMATCH} is {@code HostKeyMismatch}. */
	private static String camelCase(String code) {
		return Arrays.stream(code.split("_"))
			.map((word) -> word.substring(0, 1) + word.substring(1).toLowerCase())
			.collect(Collectors.joining());
	}

	private static Set<String> ids(Stream<? extends BaseElement> elements) {
		return elements.map(BaseElement::getId).collect(Collectors.toSet());
	}

}
