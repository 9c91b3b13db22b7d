package au.edu.unimelb.reporting.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The layers of {@link ArchitectureTest}, checked where compiled classes cannot show a
 * dependency: in the source text (a constant of another package is copied into the class
 * that uses it, so {@code QaRestoreProcess.KEY} leaves no trace in the bytecode) and in
 * the models (a model names beans by string: {@code ${nightlyRetries.retryCycle}} makes
 * the feature that owns the model depend on the package of that bean). Every reference to
 * {@code au.edu.unimelb.reporting.ops.<package>.} in a main source file (imports, static
 * imports, qualified names) and every bean a model names is an edge.
 */
class SourceDependenciesTest {

	static final Path MAIN = Path.of("src/main/java/au/edu/unimelb/reporting/ops");

	/** The package each model's steps belong to. */
	static final Map<String, String> MODEL_OWNERS = Map.of("deploy-replace", "deploy", "rollback", "deploy", "release",
			"release", "nightly-backup", "backup", "qa-restore", "restore");

	static final Set<String> FEATURES = Set.of("deploy", "release", "backup", "restore", "nightly");

	static final Set<String> INFRASTRUCTURE = Set.of("engine", "lock", "security", "records", "notify", "dependencies");

	static final Set<String> FACADES = Set.of("heat", "ssh", "webfront", "health", "shell", "postgres", "duplicity",
			"compute", "openstack", "mail", "webhook");

	private static final Pattern REFERENCE = Pattern.compile("au\\.edu\\.unimelb\\.reporting\\.ops\\.([a-z]+)\\.");

	private static final Pattern NAMED_COMPONENT = Pattern.compile("@Component\\(\"([A-Za-z0-9]+)\"\\)");

	private static final Pattern EXPRESSION_NAME = Pattern.compile("\\$\\{([A-Za-z][A-Za-z0-9]*)");

	/** Where a model can only mean a bean: a delegate, or a retry cycle. */
	private static final Pattern BEAN_ONLY = Pattern
		.compile("delegateExpression=\"\\$\\{([A-Za-z0-9]+)\\}\"|failedJobRetryTimeCycle>\\$\\{([A-Za-z0-9]+)\\.");

	/** package → packages it uses → where (the first file or model that does). */
	static Map<String, Map<String, String>> edges;

	/** bean name → its package. */
	static Map<String, String> beans;

	@BeforeAll
	static void read() throws IOException {
		beans = new TreeMap<>();
		edges = new TreeMap<>();
		List<Path> sources;
		try (Stream<Path> files = Files.walk(MAIN)) {
			sources = files.filter((f) -> f.toString().endsWith(".java")).sorted().toList();
		}
		for (Path source : sources) {
			String text = Files.readString(source);
			String from = packageOf(source);
			Matcher named = NAMED_COMPONENT.matcher(text);
			if (named.find()) {
				beans.put(named.group(1), from);
			}
			else if (text.contains("@Component")) {
				String type = source.getFileName().toString().replace(".java", "");
				beans.put(Character.toLowerCase(type.charAt(0)) + type.substring(1), from);
			}
			Matcher reference = REFERENCE.matcher(text);
			while (reference.find()) {
				edge(from, reference.group(1), MAIN.relativize(source).toString());
			}
		}
		for (Map.Entry<String, String> model : MODEL_OWNERS.entrySet()) {
			Path file = Path.of("processes", model.getKey() + ".bpmn");
			Matcher name = EXPRESSION_NAME.matcher(Files.readString(file));
			while (name.find()) {
				String bean = name.group(1);
				if (beans.containsKey(bean)) {
					edge(model.getValue(), beans.get(bean), file + " (${" + bean + "})");
				}
			}
		}
	}

	@Test
	void everyModelIsOwnedByAFeature() throws IOException {
		try (Stream<Path> files = Files.list(Path.of("processes"))) {
			assertThat(files.map((f) -> f.getFileName().toString())
				.filter((name) -> name.endsWith(".bpmn"))
				.map((name) -> name.replace(".bpmn", ""))).allMatch(MODEL_OWNERS::containsKey);
		}
	}

	@Test
	void everyDelegateAndRetryCycleAModelNamesIsABean() throws IOException {
		List<String> missing = new ArrayList<>();
		for (String key : MODEL_OWNERS.keySet()) {
			Matcher name = BEAN_ONLY.matcher(Files.readString(Path.of("processes", key + ".bpmn")));
			while (name.find()) {
				String bean = (name.group(1) != null) ? name.group(1) : name.group(2);
				if (!beans.containsKey(bean)) {
					missing.add(key + ": " + bean);
				}
			}
		}
		// a retry cycle of a bean that is not there only logs ENGINE-14027 and falls back
		assertThat(missing).as("names in the models that no @Component answers to").isEmpty();
	}

	@Test
	void packagesDependOnEachOtherWithoutCycles() {
		List<String> cycles = new ArrayList<>();
		for (String start : edges.keySet()) {
			findCycles(start, start, new ArrayList<>(List.of(start)), cycles);
		}
		assertThat(cycles).as("cycles between packages, with where each step is made").isEmpty();
	}

	@Test
	void eachLayerUsesOnlyWhatIsBelowIt() {
		List<String> wrong = new ArrayList<>();
		edges.forEach((from, uses) -> uses.forEach((to, where) -> {
			boolean allowed;
			if (from.equals("config")) {
				allowed = false;
			}
			else if (FACADES.contains(from)) {
				allowed = FACADES.contains(to) || to.equals("config");
			}
			else if (INFRASTRUCTURE.contains(from)) {
				allowed = !FEATURES.contains(to);
			}
			else if (from.equals("nightly")) {
				allowed = !FEATURES.contains(to);
			}
			else {
				allowed = FEATURES.contains(from) || from.isEmpty();
			}
			if (!allowed) {
				wrong.add(from + " -> " + to + " in " + where);
			}
		}));
		assertThat(wrong).as("dependencies that point up or sideways out of their layer").isEmpty();
	}

	@Test
	void findsTheConstantsAndBeansThatBytecodeDoesNotShow() {
		// backup starts qa-restore by its key (a constant): the edge is there in the
		// source
		assertThat(edges.get("backup")).containsKey("restore");
		// both nightly models take their retry cycle from nightly's bean
		assertThat(edges.get("restore")).containsKey("nightly");
		assertThat(beans).containsEntry("nightlyRetries", "nightly");
	}

	private static void findCycles(String start, String at, List<String> path, List<String> cycles) {
		for (Map.Entry<String, String> next : edges.getOrDefault(at, Map.of()).entrySet()) {
			String to = next.getKey();
			if (to.equals(start)) {
				List<String> steps = new ArrayList<>();
				for (int i = 0; i < path.size(); i++) {
					String a = path.get(i);
					String b = (i + 1 < path.size()) ? path.get(i + 1) : start;
					steps.add(a + " -> " + b + " (" + edges.get(a).get(b) + ")");
				}
				cycles.add(String.join(", ", steps));
			}
			else if (!path.contains(to) && to.compareTo(start) > 0) {
				path.add(to);
				findCycles(start, to, path, cycles);
				path.remove(path.size() - 1);
			}
		}
	}

	private static void edge(String from, String to, String where) {
		if (!from.equals(to)) {
			edges.computeIfAbsent(from, (k) -> new LinkedHashMap<>()).putIfAbsent(to, where);
		}
	}

	/** {@code deploy} for {@code .../ops/deploy/X.java}; empty for the base package. */
	private static String packageOf(Path source) {
		Path relative = MAIN.relativize(source);
		return (relative.getNameCount() > 1) ? relative.getName(0).toString() : "";
	}

	static Set<String> packages() {
		return new TreeSet<>(edges.keySet());
	}

}
