package au.edu.unimelb.reporting.ops.config;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * {@code docs/configuration.md} lists exactly the settings the code has: it is made again
 * from the configuration metadata ({@link ConfigurationDoc}) and compared with the
 * committed file. With {@code -Dops.docs.write=true} the file is rewritten instead.
 */
class ConfigurationDocTest {

	private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\|.*$", Pattern.MULTILINE);

	@Test
	void docListsEverySettingOfTheCodeAndNoOther() throws IOException {
		String generated = ConfigurationDoc.render(ConfigurationDoc.read());
		if (Boolean.getBoolean("ops.docs.write")) {
			Files.createDirectories(ConfigurationDoc.DOC.getParent());
			Files.writeString(ConfigurationDoc.DOC, generated);
		}
		String committed = Files.exists(ConfigurationDoc.DOC) ? Files.readString(ConfigurationDoc.DOC) : "";
		if (committed.equals(generated)) {
			return;
		}
		Map<String, String> inCode = rows(generated);
		Map<String, String> inDoc = rows(committed);
		Set<String> onlyInCode = new TreeSet<>(inCode.keySet());
		onlyInCode.removeAll(inDoc.keySet());
		Set<String> onlyInDoc = new TreeSet<>(inDoc.keySet());
		onlyInDoc.removeAll(inCode.keySet());
		Set<String> changed = new TreeSet<>();
		inCode.forEach((name, row) -> {
			if (inDoc.containsKey(name) && !inDoc.get(name).equals(row)) {
				changed.add(name);
			}
		});
		fail(ConfigurationDoc.DOC + " is out of date. Settings in the code but not in the doc: " + onlyInCode
				+ "; in the doc but not in the code: " + onlyInDoc + "; described differently: " + changed
				+ (onlyInCode.isEmpty() && onlyInDoc.isEmpty() && changed.isEmpty() ? " (only the text around them)"
						: "")
				+ ". Regenerate it: " + ConfigurationDoc.REGENERATE);
	}

	@Test
	void everySettingHasADescription() throws IOException {
		assertThat(ConfigurationDoc.read().values()).filteredOn((setting) -> setting.description().isEmpty())
			.extracting(ConfigurationDoc.Setting::name)
			.as("settings without a description: give each an @param in its record's Javadoc")
			.isEmpty();
	}

	@Test
	void everyServiceSettingInApplicationYmlIsOneTheCodeHas() throws IOException {
		Set<String> unknown = new TreeSet<>(ConfigurationDoc.applicationDefaults().keySet());
		unknown.removeAll(ConfigurationDoc.read().keySet());
		assertThat(unknown).as("ops.* settings in application.yml that no settings record reads").isEmpty();
	}

	/**
	 * The processor does not describe the entries of a list of records ({@code testers});
	 * additional-spring-configuration-metadata.json does, and must name each component.
	 */
	@Test
	void describesEachPartOfAListOfRecords() throws IOException {
		Map<String, ConfigurationDoc.Setting> settings = ConfigurationDoc.read();
		List<String> missing = new ArrayList<>();
		for (ConfigurationDoc.Setting setting : settings.values()) {
			Matcher element = Pattern.compile("(?:List|Set|Map<String,\\s*)<?(\\w+)>").matcher(setting.type());
			if (!element.find()) {
				continue;
			}
			Class<?> type = ownRecord(setting, element.group(1));
			if (type == null) {
				continue;
			}
			for (RecordComponent component : type.getRecordComponents()) {
				String name = setting.name() + "[0]." + kebab(component.getName());
				if (!settings.containsKey(name)) {
					missing.add(name);
				}
			}
		}
		assertThat(missing).as("add them to " + ConfigurationDoc.ADDITIONAL).isEmpty();
		assertThat(settings).containsKey("ops.security.testers[0].id");
	}

	@Test
	void rendersJavadocAsMarkdown() {
		assertThat(ConfigurationDoc.description("the {@code testers} group, see {@link HeatSettings#directory}"))
			.isEqualTo("The `testers` group, see `HeatSettings#directory`.");
		assertThat(ConfigurationDoc.simpleType("java.util.Map<java.lang.String,java.lang.String>"))
			.isEqualTo("Map<String,String>");
		assertThat(ConfigurationDoc.simpleType("java.util.List<a.b.SecuritySettings$Tester>"))
			.isEqualTo("List<Tester>");
	}

	/** The record of the service's own that a list or map setting holds, if any. */
	private static Class<?> ownRecord(ConfigurationDoc.Setting setting, String simpleName) {
		try {
			Class<?> owner = Class.forName(setting.groupType());
			for (Class<?> nested : owner.getDeclaredClasses()) {
				if (nested.getSimpleName().equals(simpleName) && nested.isRecord()) {
					return nested;
				}
			}
			return null;
		}
		catch (ClassNotFoundException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String kebab(String camel) {
		return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
	}

	/** Setting name → its table row. */
	private static Map<String, String> rows(String doc) {
		Map<String, String> rows = new LinkedHashMap<>();
		Matcher row = ROW.matcher(doc);
		while (row.find()) {
			rows.put(row.group(1), row.group());
		}
		return rows;
	}

}
