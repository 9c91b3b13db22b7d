package au.edu.unimelb.reporting.ops.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.yaml.snakeyaml.Yaml;

/**
 * Writes {@code docs/configuration.md} from the configuration metadata that
 * spring-boot-configuration-processor writes at compile time (the settings records, their
 * Javadoc {@code @param} descriptions and {@code @DefaultValue}s, and
 * {@code META-INF/additional-spring-configuration-metadata.json}), with the defaults
 * {@code application.yml} sets over them: the service's own settings, as the metadata of
 * this module holds nothing else. Then the settings of Spring Boot and Camunda that the
 * service's code reads itself ({@link #OTHER_SETTINGS}). {@link ConfigurationDocTest}
 * fails when the committed file differs from what this makes, and when the code reads a
 * setting by name ({@link SettingReads}) that neither part lists.
 *
 * <p>
 * Run {@link #main} from an IDE after {@code mvn compile}, or {@link #REGENERATE}.
 */
final class ConfigurationDoc {

	static final Path DOC = Path.of("docs/configuration.md");

	/** The command that rewrites the doc. */
	static final String REGENERATE = "mvn -q test -Dtest=ConfigurationDocTest -Dops.docs.write=true";

	static final Path METADATA = Path.of("target/classes/META-INF/spring-configuration-metadata.json");

	static final Path ADDITIONAL = Path.of("src/main/resources/META-INF/additional-spring-configuration-metadata.json");

	static final Path APPLICATION_YML = Path.of("src/main/resources/application.yml");

	/** The service's own code: settings bound to anything else are not listed. */
	static final String OWN_TYPES = "au.edu.unimelb.reporting.ops.";

	private static final Pattern QUALIFIED = Pattern.compile("(?:[a-z][a-z0-9_]*\\.)+(?:[A-Z]\\w*\\$)*([A-Z]\\w*)");

	private static final Pattern CODE = Pattern.compile("\\{@(?:code|literal)\\s+([^{}]*(?:\\{[^{}]*}[^{}]*)*)}");

	private static final Pattern LINK = Pattern.compile("\\{@link(?:plain)?\\s+(?:[\\w.]+\\.)?([\\w#$().,]+)[^}]*}");

	/**
	 * The settings of Spring Boot and Camunda that the service's own code reads or checks
	 * by name, and what it does with each: the doc's last section. Their other effects
	 * are Spring's and Camunda's to document.
	 */
	static final Map<String, String> OTHER_SETTINGS = Map.of("camunda.bpm.job-execution.enabled",
			"Whether this node runs jobs (the processes' steps and timers). `true`: through the service's job "
					+ "executor (`engine.LockRenewingJobExecutor`), which renews the locks of the steps it runs and "
					+ "names this node in each lock's owner. `false`: this node runs no job; it still serves Cockpit, "
					+ "Tasklist and the REST API.",
			"camunda.bpm.job-execution.lock-time-in-millis",
			"How long a node holds a job it runs before another node may take it over. The node renews the locks "
					+ "of its running steps every quarter of this time, and stops their programs when it cannot; "
					+ "the service refuses to start unless it is longer than the longest call a step makes to "
					+ "another machine plus 5 s (`engine.JobLockTime`).",
			"management.endpoints.web.base-path",
			"Must stay `/actuator` (the default): the metrics' login guards that path, so the service refuses to "
					+ "start with another (`security.ActuatorPathsCheck`).",
			"management.server.port",
			"Must stay unset (or equal `server.port`): on a port of its own the actuator would run without the "
					+ "service's logins, so the service refuses to start (`security.ActuatorPathsCheck`).",
			"server.port", "The port of the service: Cockpit, Tasklist, the REST API, the actuator (default 8080).",
			SettingReads.PROFILES,
			"With `prod` among the profiles, the service refuses to start without `ops.security.admin-password` "
					+ "and `ops.security.jenkins-password`; in the others, a first start without an administrator "
					+ "password generates one into `ops.data-dir` (`security.IdentityBootstrap`).");

	private ConfigurationDoc() {
	}

	public static void main(String[] args) throws IOException {
		Files.writeString(DOC, render(read(), others()));
	}

	/** One setting, as the doc shows it. */
	record Setting(String name, String group, String groupType, String type, String defaultValue, String description) {

		String row() {
			return "| `" + this.name + "` | " + cell(this.type) + " | "
					+ (this.defaultValue.isEmpty() ? "" : "`" + this.defaultValue.replace("|", "\\|") + "`") + " | "
					+ cell(this.description) + " |";
		}

		private static String cell(String text) {
			return text.replace("|", "\\|").replace("\n", " ");
		}

	}

	/**
	 * One of {@link #OTHER_SETTINGS}, as the doc shows it.
	 *
	 * @param defaultValue the value application.yml sets, else empty
	 */
	record Other(String name, String defaultValue, String description) {

		String row() {
			return "| `" + this.name + "` | " + (this.defaultValue.isEmpty() ? "" : "`" + this.defaultValue + "`")
					+ " | " + this.description.replace("|", "\\|") + " |";
		}

	}

	/** {@link #OTHER_SETTINGS} by name, with what application.yml sets. */
	static List<Other> others() throws IOException {
		Map<String, String> values = applicationValues();
		return new TreeMap<>(OTHER_SETTINGS).entrySet()
			.stream()
			.map((other) -> new Other(other.getKey(), values.getOrDefault(other.getKey(), ""), other.getValue()))
			.toList();
	}

	/**
	 * Whether the doc lists a setting the code reads: one of the service's own (or a
	 * group of them), or one of {@link #OTHER_SETTINGS}. Names compare as Spring binds
	 * them: case and dashes aside.
	 */
	static boolean lists(String name, Collection<String> own) {
		String wanted = canonical(name);
		return Stream.concat(own.stream(), OTHER_SETTINGS.keySet().stream())
			.map(ConfigurationDoc::canonical)
			.anyMatch((listed) -> listed.equals(wanted) || listed.startsWith(wanted + "."));
	}

	static String canonical(String name) {
		return name.toLowerCase(Locale.ROOT).replace("-", "");
	}

	/** The service's settings, by name, from the metadata and application.yml. */
	static Map<String, Setting> read() throws IOException {
		ObjectMapper json = new ObjectMapper();
		JsonNode metadata = json.readTree(METADATA.toFile());
		Map<String, JsonNode> groups = new TreeMap<>();
		for (JsonNode group : metadata.path("groups")) {
			groups.put(group.path("name").asText(), group);
		}
		Map<String, JsonNode> properties = new TreeMap<>();
		for (JsonNode property : metadata.path("properties")) {
			properties.put(property.path("name").asText(), property);
		}
		// also when the processor has not run since the file changed
		if (Files.exists(ADDITIONAL)) {
			for (JsonNode property : json.readTree(ADDITIONAL.toFile()).path("properties")) {
				properties.putIfAbsent(property.path("name").asText(), property);
			}
		}
		Map<String, String> yamlDefaults = applicationDefaults();
		Map<String, Setting> settings = new TreeMap<>();
		for (JsonNode property : properties.values()) {
			String name = property.path("name").asText();
			String group = groupOf(name, groups.keySet());
			String groupType = (group != null) ? groups.get(group).path("type").asText() : "";
			if (!property.path("sourceType").asText().startsWith(OWN_TYPES) || group == null
					|| !groupType.startsWith(OWN_TYPES)) {
				continue;
			}
			String defaultValue = yamlDefaults.containsKey(name) ? yamlDefaults.get(name)
					: text(property.get("defaultValue"));
			settings.put(name, new Setting(name, group, groupType, simpleType(property.path("type").asText()),
					defaultValue, description(property.path("description").asText())));
		}
		return settings;
	}

	/**
	 * The {@code ops.*} values of {@code application.yml}, which are the defaults where
	 * they are set (an empty value shown as {@code ""}).
	 */
	static Map<String, String> applicationDefaults() throws IOException {
		Map<String, String> flat = new TreeMap<>(applicationValues());
		flat.keySet().removeIf((name) -> !name.startsWith("ops."));
		return flat;
	}

	/** Every value of {@code application.yml}, by its setting's name. */
	static Map<String, String> applicationValues() throws IOException {
		Map<String, String> flat = new TreeMap<>();
		try (InputStream in = Files.newInputStream(APPLICATION_YML)) {
			for (Object document : new Yaml().loadAll(in)) {
				if (document instanceof Map<?, ?> map) {
					map.forEach((key, value) -> {
						if (value instanceof Map<?, ?> nested) {
							flatten(String.valueOf(key), nested, flat);
						}
					});
				}
			}
		}
		return flat;
	}

	private static void flatten(String prefix, Map<?, ?> map, Map<String, String> into) {
		map.forEach((key, value) -> {
			String name = prefix + "." + key;
			if (value instanceof Map<?, ?> nested) {
				flatten(name, nested, into);
			}
			else if (value instanceof List<?> list) {
				into.put(name, String.join(", ", list.stream().map(String::valueOf).toList()));
			}
			else {
				String text = String.valueOf(value);
				into.put(name, text.isEmpty() ? "\"\"" : text);
			}
		});
	}

	/** The longest group name the setting's name starts with. */
	private static String groupOf(String name, Iterable<String> groups) {
		String found = null;
		for (String group : groups) {
			if (name.startsWith(group + ".") && (found == null || group.length() > found.length())) {
				found = group;
			}
		}
		return found;
	}

	private static String text(JsonNode value) {
		if (value == null || value.isNull()) {
			return "";
		}
		if (value.isArray()) {
			List<String> items = new ArrayList<>();
			value.forEach((item) -> items.add(item.asText()));
			return String.join(", ", items);
		}
		String text = value.asText();
		// the processor writes a list default of a record component as "[a, b]"
		return (text.startsWith("[") && text.endsWith("]")) ? text.substring(1, text.length() - 1) : text;
	}

	/** {@code java.util.List<java.lang.String>} as {@code List<String>}. */
	static String simpleType(String type) {
		return QUALIFIED.matcher(type).replaceAll("$1");
	}

	/** Javadoc's inline tags as Markdown; the first letter in upper case. */
	static String description(String javadoc) {
		String text = CODE.matcher(javadoc).replaceAll((match) -> Matcher.quoteReplacement("`" + match.group(1) + "`"));
		text = LINK.matcher(text).replaceAll((match) -> Matcher.quoteReplacement("`" + match.group(1) + "`"));
		text = text.replaceAll("\\s+", " ").strip();
		if (text.isEmpty()) {
			return text;
		}
		text = Character.toUpperCase(text.charAt(0)) + text.substring(1);
		return text.endsWith(".") ? text : text + ".";
	}

	/** The whole doc. */
	static String render(Map<String, Setting> settings, List<Other> others) {
		Map<String, List<Setting>> byGroup = new LinkedHashMap<>();
		settings.values()
			.stream()
			.sorted((a, b) -> (a.group().equals(b.group())) ? a.name().compareTo(b.name())
					: a.group().compareTo(b.group()))
			.forEach((setting) -> byGroup.computeIfAbsent(setting.group(), (k) -> new ArrayList<>()).add(setting));
		StringBuilder doc = new StringBuilder();
		doc.append("# Configuration\n\n");
		doc.append("<!-- Generated from the settings records' configuration metadata and application.yml by\n");
		doc.append("     src/test/java/au/edu/unimelb/reporting/ops/config/ConfigurationDoc.java: do not edit here.\n");
		doc.append("     Regenerate: ").append(REGENERATE).append(" -->\n\n");
		doc.append("Every setting the service defines, by group, as its code defines them: the records under\n");
		doc.append("`src/main/java` (the descriptions are their Javadoc) and `src/main/resources/application.yml`;\n");
		doc.append("then the settings of Spring Boot and Camunda that the service's code reads itself\n");
		doc.append(
				"([Other settings the service reads](#other-settings-the-service-reads)). This file is generated,\n");
		doc.append("and `ConfigurationDocTest` fails when it misses a setting, lists one the code no longer has, or\n");
		doc.append("the code reads a setting by name that it does not list; regenerate it with\n");
		doc.append("`").append(REGENERATE).append("`.\n\n");
		doc.append("- **Default**: the value `application.yml` sets, else the code's; none means unset.\n");
		doc.append("- **Environment variables**: the name in upper case, `.` as `_`, dashes dropped:\n");
		doc.append("  `ops.backup.keep-days` is `OPS_BACKUP_KEEPDAYS` (`OPS_BACKUP_KEEP_DAYS` binds too); a list\n");
		doc.append("  index is a part of its own (`OPS_SECURITY_TESTERS_0_ID`).\n");
		doc.append("- **Secret** settings (passwords, passphrases, keys) come from environment variables or files\n");
		doc.append("  (`SPRING_CONFIG_IMPORT=optional:configtree:/run/secrets/`), never from `application.yml`.\n");
		doc.append("- **Duration**: `500ms`, `90s`, `10m`, `4h`, `3d`, or ISO-8601 (`PT1H`).\n");
		for (Map.Entry<String, List<Setting>> group : byGroup.entrySet()) {
			doc.append("\n## ").append(group.getKey()).append("\n\n");
			String type = group.getValue().get(0).groupType();
			doc.append("Bound to `").append(type.substring(OWN_TYPES.length()).replace('$', '.')).append("`.\n\n");
			doc.append("| Setting | Type | Default | Description |\n");
			doc.append("| --- | --- | --- | --- |\n");
			for (Setting setting : group.getValue()) {
				doc.append(setting.row()).append('\n');
			}
		}
		doc.append("\n## Other settings the service reads\n\n");
		doc.append("Settings of Spring Boot and Camunda (documented by them) that the service's own code reads or\n");
		doc.append("checks, and what it does with each. The default is the value `application.yml` sets.\n\n");
		doc.append("| Setting | Default | What the service does with it |\n");
		doc.append("| --- | --- | --- |\n");
		for (Other other : others) {
			doc.append(other.row()).append('\n');
		}
		return doc.toString();
	}

}
