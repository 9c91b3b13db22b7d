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
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * {@code docs/configuration.md} lists exactly the settings the code has: it is made again
 * from the configuration metadata ({@link ConfigurationDoc}) and compared with the
 * committed file. With {@code -Dops.docs.write=true} the file is rewritten instead. Every
 * setting the code reads by name ({@link SettingReads}: {@code @Value},
 * {@code @ConditionalOnProperty}, {@code Environment.getProperty}, ...) is in it: one of
 * the settings records', or one of {@link ConfigurationDoc#OTHER_SETTINGS}.
 */
class ConfigurationDocTest {

	private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\|.*$", Pattern.MULTILINE);

	@Test
	void docListsEverySettingOfTheCodeAndNoOther() throws IOException {
		String generated = ConfigurationDoc.render(ConfigurationDoc.read(), ConfigurationDoc.others());
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

	@Test
	void everySettingTheCodeReadsByNameIsInTheDoc() throws IOException {
		Set<String> own = ConfigurationDoc.read().keySet();
		assertThat(SettingReads.ofTheService()).filteredOn((read) -> read.key() != null)
			.filteredOn((read) -> !ConfigurationDoc.lists(read.key(), own))
			.as("settings the code reads that %s does not list: give an ops.* one a component in its settings "
					+ "record (the doc is made from their metadata); add one of Spring's or Camunda's to "
					+ "ConfigurationDoc.OTHER_SETTINGS, saying what the service does with it", ConfigurationDoc.DOC)
			.isEmpty();
	}

	@Test
	void theCodeReadsSettingsByLiteralNames() throws IOException {
		assertThat(SettingReads.ofTheService()).filteredOn((read) -> read.key() == null)
			.as("settings read by a computed name, which this test cannot check against the doc: "
					+ "name each with a literal (or a constant)")
			.isEmpty();
	}

	@Test
	void everyOtherSettingTheDocListsIsOneTheCodeReads() throws IOException {
		Set<String> read = new TreeSet<>();
		SettingReads.ofTheService()
			.stream()
			.filter((setting) -> setting.key() != null)
			.forEach((setting) -> read.add(ConfigurationDoc.canonical(setting.key())));
		assertThat(ConfigurationDoc.OTHER_SETTINGS.keySet())
			.filteredOn((name) -> !read.contains(ConfigurationDoc.canonical(name)))
			.as("ConfigurationDoc.OTHER_SETTINGS that the code no longer reads")
			.isEmpty();
	}

	@Test
	void findsTheSettingsTheServiceReadsItself() throws IOException {
		assertThat(SettingReads.ofTheService()).extracting(SettingReads.Read::key)
			.contains("camunda.bpm.job-execution.enabled", "camunda.bpm.job-execution.lock-time-in-millis",
					"spring.profiles.active", "ops.time-zone", "ops.backup.time-zone", "ops.data-dir");
	}

	@Test
	void findsSettingsReadByAnnotationsCallsAndPlaceholders() {
		List<SettingReads.Read> reads = SettingReads.ofClasses(List.of(Reader.class.getName()));
		assertThat(reads).extracting(SettingReads.Read::key)
			.containsExactlyInAnyOrder("fixture.value", "fixture.fallback", "fixture.conditional.enabled",
					"fixture.flag", "fixture.property", "fixture.variable", "fixture.constant", "fixture.binder",
					"fixture.text", "spring.profiles.active", "fixture.checked", null, null);
		assertThat(reads).filteredOn((read) -> read.key() == null)
			.extracting(SettingReads.Read::where)
			.anyMatch((where) -> where.contains("method reference to getProperty"))
			.anyMatch((where) -> where.contains("Reader.read() line") && where.endsWith(": getProperty"));
		assertThat(SettingReads.placeholders("#{'${a.b:${c.d:1}}' + '${e}'}")).containsExactly("a.b", "c.d", "e");
	}

	/** Reads settings each way that {@link SettingReads} knows. */
	@SuppressWarnings("unused")
	static class Reader {

		static final String CONSTANT = "fixture.constant";

		@Value("${fixture.value:${fixture.fallback:1}}")
		String value;

		@Bean
		@ConditionalOnProperty(prefix = "fixture.conditional", name = "enabled", havingValue = "true")
		@ConditionalOnBooleanProperty("fixture.flag")
		Object conditional() {
			return null;
		}

		void read(Environment environment, Binder binder) {
			environment.getProperty("fixture.property");
			String name = "fixture.variable";
			environment.containsProperty(name);
			environment.getRequiredProperty(CONSTANT);
			binder.bind(ConfigurationPropertyName.of("fixture.binder"), Bindable.of(String.class));
			environment.resolvePlaceholders("at ${fixture.text}");
			environment.acceptsProfiles(Profiles.of("prod"));
			environment.getProperty("fixture." + environment.hashCode());
			Function<String, String> reference = environment::getProperty;
			throw new InvalidSettingException("fixture.checked", "is wrong");
		}

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
