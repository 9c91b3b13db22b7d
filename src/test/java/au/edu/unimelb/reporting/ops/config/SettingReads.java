package au.edu.unimelb.reporting.ops.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;
import org.yaml.snakeyaml.Yaml;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.context.annotation.Profile;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertyResolver;
import org.springframework.core.env.PropertySource;

/**
 * The settings the service's code reads by name, and where: found in the compiled classes
 * ({@code target/classes}), so that a constant, a static import or a line break hides
 * none.
 * <ul>
 * <li>annotations, read by reflection with their meta-annotations: every {@code ${…}}
 * placeholder in any attribute ({@code @Value}, {@code @Scheduled}, ...), the names of
 * {@code @ConditionalOnProperty} and {@code @ConditionalOnBooleanProperty}
 * ({@code prefix} + {@code name}/{@code value}), and {@code @Profile};</li>
 * <li>calls, read from the bytecode: {@code getProperty}, {@code containsProperty} and
 * {@code getRequiredProperty} of an {@code Environment} (any {@link PropertyResolver}) or
 * a {@link PropertySource}, {@code resolvePlaceholders}, {@link Binder}'s {@code bind}
 * and {@code bindOrCreate}, the profile checks ({@code acceptsProfiles}: the profiles are
 * the setting {@value #PROFILES}), and the setting an {@link InvalidSettingException}
 * names when the code gives it literally;</li>
 * <li>the {@code ${…}} placeholders of {@code application.yml}.</li>
 * </ul>
 * A call whose name is not a literal (a variable, a parameter, a concatenation, a method
 * reference) is a read of an unknown name ({@link Read#key()} {@code null}): the test
 * fails on it, so that every name stays checkable. The BPMN models' {@code ${…}} are
 * expressions over beans and process variables, which Camunda does not resolve against
 * settings: not read here.
 */
final class SettingReads {

	static final Path CLASSES = Path.of("target/classes");

	/** The service's code, under {@link #CLASSES}. */
	static final String BASE = "au.edu.unimelb.reporting.ops";

	/** What a profile check reads. */
	static final String PROFILES = "spring.profiles.active";

	/** Methods whose first argument is a setting's name. */
	private static final Map<Class<?>, List<String>> KEY_READERS = Map.of(PropertyResolver.class,
			List.of("getProperty", "containsProperty", "getRequiredProperty"), PropertySource.class,
			List.of("getProperty", "containsProperty"), Binder.class, List.of("bind", "bindOrCreate"));

	/** Methods whose first argument is a text with {@code ${…}} placeholders. */
	private static final Map<Class<?>, List<String>> PLACEHOLDER_READERS = Map.of(PropertyResolver.class,
			List.of("resolvePlaceholders", "resolveRequiredPlaceholders"));

	/** Methods that read the active profiles. */
	private static final Map<Class<?>, List<String>> PROFILE_READERS = Map.of(Environment.class,
			List.of("acceptsProfiles", "matchesProfiles", "getActiveProfiles"));

	private static final Map<String, Class<?>> LOADED = new ConcurrentHashMap<>();

	private SettingReads() {
	}

	/**
	 * One setting the code reads.
	 *
	 * @param key the setting's name; {@code null} when the code computes it
	 * @param where the class and member, or file, that reads it
	 */
	record Read(String key, String where) {

		@Override
		public String toString() {
			return ((this.key != null) ? this.key : "a name that is not a literal") + " (" + this.where + ")";
		}

	}

	/** Every read of the service's compiled classes and of application.yml. */
	static List<Read> ofTheService() throws IOException {
		List<String> classes;
		Path base = CLASSES.resolve(BASE.replace('.', '/'));
		try (Stream<Path> files = Files.walk(base)) {
			classes = files.filter((file) -> file.toString().endsWith(".class"))
				.map((file) -> CLASSES.relativize(file).toString().replace(".class", "").replace('/', '.'))
				.sorted()
				.toList();
		}
		List<Read> reads = new ArrayList<>(ofClasses(classes));
		reads.addAll(ofApplicationYml(ConfigurationDoc.APPLICATION_YML));
		return reads;
	}

	/** The reads of these classes, by name (they are loaded, not initialized). */
	static List<Read> ofClasses(Collection<String> names) {
		List<Read> reads = new ArrayList<>();
		for (String name : names) {
			Class<?> type = load(name);
			if (type == null) {
				throw new IllegalStateException("Cannot load " + name);
			}
			annotations(type, reads);
			calls(name, reads);
		}
		return reads;
	}

	/** The {@code ${…}} placeholders of a YAML file's values. */
	static List<Read> ofApplicationYml(Path file) throws IOException {
		List<Read> reads = new ArrayList<>();
		try (InputStream in = Files.newInputStream(file)) {
			for (Object document : new Yaml().loadAll(in)) {
				placeholdersIn(document, file.getFileName().toString(), reads);
			}
		}
		return reads;
	}

	private static void placeholdersIn(Object value, String where, List<Read> reads) {
		if (value instanceof Map<?, ?> map) {
			map.values().forEach((nested) -> placeholdersIn(nested, where, reads));
		}
		else if (value instanceof List<?> list) {
			list.forEach((nested) -> placeholdersIn(nested, where, reads));
		}
		else if (value instanceof String text) {
			placeholders(text).forEach((key) -> reads.add(new Read(key, where)));
		}
	}

	/**
	 * The names in {@code ${…}} placeholders, with those in their defaults
	 * ({@code ${a:${b:1}}} reads {@code a} and {@code b}).
	 */
	static List<String> placeholders(String text) {
		List<String> keys = new ArrayList<>();
		int start = text.indexOf("${");
		while (start >= 0) {
			int depth = 0;
			int end = start + 2;
			int colon = -1;
			while (end < text.length() && !(depth == 0 && text.charAt(end) == '}')) {
				if (text.startsWith("${", end)) {
					depth++;
					end++;
				}
				else if (text.charAt(end) == '}') {
					depth--;
				}
				else if (text.charAt(end) == ':' && depth == 0 && colon < 0) {
					colon = end;
				}
				end++;
			}
			String inside = text.substring(start + 2, Math.min(end, text.length()));
			String key = (colon < 0) ? inside : text.substring(start + 2, colon);
			keys.add(key.strip());
			if (colon >= 0) {
				keys.addAll(placeholders(inside.substring(colon - start - 1)));
			}
			start = text.indexOf("${", end);
		}
		return keys;
	}

	private static void annotations(Class<?> type, List<Read> reads) {
		List<AnnotatedElement> elements = new ArrayList<>();
		elements.add(type);
		elements.addAll(List.of(type.getDeclaredFields()));
		List<Executable> executables = new ArrayList<>(List.of(type.getDeclaredMethods()));
		executables.addAll(List.of(type.getDeclaredConstructors()));
		for (Executable executable : executables) {
			elements.add(executable);
			elements.addAll(List.of(executable.getParameters()));
		}
		for (AnnotatedElement element : elements) {
			String where = describe(type, element);
			MergedAnnotations.from(element, SearchStrategy.DIRECT)
				.stream()
				.forEach((annotation) -> annotation(annotation, where, reads));
		}
	}

	private static void annotation(MergedAnnotation<?> annotation, String where, List<Read> reads) {
		String at = where + ": @" + annotation.getType().getSimpleName();
		Class<?> type = annotation.getType();
		if (type == ConditionalOnProperty.class || type == ConditionalOnBooleanProperty.class) {
			String prefix = annotation.getString("prefix");
			// aliases of each other in one, apart in the other: both, once
			Set<String> names = new LinkedHashSet<>(List.of(annotation.getStringArray("name")));
			names.addAll(List.of(annotation.getStringArray("value")));
			for (String name : names) {
				String key = prefix.isEmpty() ? name : prefix.replaceAll("\\.$", "") + "." + name;
				reads.add(new Read(key, at));
			}
		}
		if (type == Profile.class) {
			reads.add(new Read(PROFILES, at));
		}
		annotation.asMap().values().forEach((value) -> {
			List<?> texts = (value instanceof Object[] array) ? List.of(array) : List.of(value);
			texts.stream()
				.filter(String.class::isInstance)
				.flatMap((text) -> placeholders((String) text).stream())
				.forEach((key) -> reads.add(new Read(key, at)));
		});
	}

	private static String describe(Class<?> type, AnnotatedElement element) {
		String name = type.getName().substring(BASE.length() + 1);
		if (element instanceof Field field) {
			return name + "." + field.getName();
		}
		if (element instanceof Method method) {
			return name + "." + method.getName() + "()";
		}
		if (element instanceof Executable) {
			return name + "()";
		}
		if (element instanceof Parameter parameter) {
			Executable owner = parameter.getDeclaringExecutable();
			return name + "." + ((owner instanceof Method) ? owner.getName() : "<init>") + "(" + parameter.getName()
					+ ")";
		}
		return name;
	}

	private static void calls(String className, List<Read> reads) {
		ClassNode node = new ClassNode();
		String resource = className.replace('.', '/') + ".class";
		try (InputStream in = SettingReads.class.getClassLoader().getResourceAsStream(resource)) {
			if (in == null) {
				throw new IllegalStateException("No " + resource + " on the class path");
			}
			new ClassReader(in).accept(node, 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		String simple = className.startsWith(BASE + ".") ? className.substring(BASE.length() + 1) : className;
		for (MethodNode method : node.methods) {
			if (method.instructions.size() == 0) {
				continue;
			}
			Frame<SourceValue>[] frames;
			try {
				frames = new Analyzer<>(new SourceInterpreter()).analyze(node.name, method);
			}
			catch (AnalyzerException ex) {
				throw new IllegalStateException("Cannot read " + className + "." + method.name, ex);
			}
			for (AbstractInsnNode instruction : method.instructions) {
				String where = simple + "." + method.name + "()" + line(instruction);
				if (instruction instanceof MethodInsnNode call) {
					call(call, method, frames, where, reads);
				}
				else if (instruction instanceof InvokeDynamicInsnNode dynamic) {
					for (Object argument : dynamic.bsmArgs) {
						if (argument instanceof Handle handle
								&& (reads(KEY_READERS, handle.getOwner(), handle.getName())
										|| reads(PLACEHOLDER_READERS, handle.getOwner(), handle.getName()))) {
							reads.add(new Read(null, where + ": a method reference to " + handle.getName()));
						}
					}
				}
			}
		}
	}

	private static void call(MethodInsnNode call, MethodNode method, Frame<SourceValue>[] frames, String where,
			List<Read> reads) {
		Frame<SourceValue> frame = frames[method.instructions.indexOf(call)];
		if (frame == null) {
			return;
		}
		int arguments = Type.getArgumentTypes(call.desc).length;
		String at = where + ": " + call.name;
		if (reads(PROFILE_READERS, call.owner, call.name)) {
			reads.add(new Read(PROFILES, at));
		}
		if (arguments == 0) {
			return;
		}
		SourceValue first = frame.getStack(frame.getStackSize() - arguments);
		if (reads(KEY_READERS, call.owner, call.name)) {
			reads.add(new Read(literal(first, method, frames, 0), at));
		}
		else if (reads(PLACEHOLDER_READERS, call.owner, call.name)) {
			String text = literal(first, method, frames, 0);
			if (text == null) {
				reads.add(new Read(null, at));
			}
			else {
				placeholders(text).forEach((key) -> reads.add(new Read(key, at)));
			}
		}
		else if (call.owner.equals(Type.getInternalName(InvalidSettingException.class)) && call.name.equals("<init>")) {
			// names a setting it checks; a name passed in is read where it is written
			String key = literal(first, method, frames, 0);
			if (key != null) {
				reads.add(new Read(key, where + ": InvalidSettingException"));
			}
		}
	}

	/**
	 * The string constant a value always is, through local variables, casts and
	 * {@code ConfigurationPropertyName.of}; {@code null} when it is not one.
	 */
	private static String literal(SourceValue value, MethodNode method, Frame<SourceValue>[] frames, int depth) {
		if (depth > 20 || value.insns.isEmpty()) {
			return null;
		}
		String found = null;
		for (AbstractInsnNode source : value.insns) {
			Frame<SourceValue> frame = frames[method.instructions.indexOf(source)];
			String text = null;
			if (source instanceof LdcInsnNode constant && constant.cst instanceof String string) {
				text = string;
			}
			else if (frame == null) {
				text = null;
			}
			else if (source instanceof VarInsnNode variable && variable.getOpcode() == Opcodes.ALOAD) {
				text = literal(frame.getLocal(variable.var), method, frames, depth + 1);
			}
			else if ((source instanceof VarInsnNode variable && variable.getOpcode() == Opcodes.ASTORE)
					|| (source instanceof TypeInsnNode cast && cast.getOpcode() == Opcodes.CHECKCAST)) {
				text = literal(frame.getStack(frame.getStackSize() - 1), method, frames, depth + 1);
			}
			else if (source instanceof MethodInsnNode named
					&& named.owner.equals(Type.getInternalName(ConfigurationPropertyName.class))
					&& named.name.matches("of|adapt") && frame.getStackSize() > 0) {
				int arguments = Type.getArgumentTypes(named.desc).length;
				text = literal(frame.getStack(frame.getStackSize() - arguments), method, frames, depth + 1);
			}
			if (text == null || (found != null && !found.equals(text))) {
				return null;
			}
			found = text;
		}
		return found;
	}

	/** Whether a method of this owner (or of a type it extends) is one of these. */
	private static boolean reads(Map<Class<?>, List<String>> readers, String owner, String name) {
		Class<?> type = load(Type.getObjectType(owner).getClassName());
		if (type == null) {
			return false;
		}
		return readers.entrySet()
			.stream()
			.anyMatch((reader) -> reader.getKey().isAssignableFrom(type) && reader.getValue().contains(name));
	}

	private static Class<?> load(String name) {
		if (name.startsWith("[")) {
			return null;
		}
		Class<?> loaded = LOADED.computeIfAbsent(name, (n) -> {
			try {
				return Class.forName(n, false, SettingReads.class.getClassLoader());
			}
			catch (ClassNotFoundException | LinkageError ex) {
				return Void.class;
			}
		});
		return (loaded != Void.class) ? loaded : null;
	}

	private static String line(AbstractInsnNode instruction) {
		for (AbstractInsnNode at = instruction; at != null; at = at.getPrevious()) {
			if (at instanceof LineNumberNode line) {
				return " line " + line.line;
			}
		}
		return "";
	}

}
