package au.edu.unimelb.reporting.ops.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import au.edu.unimelb.reporting.ops.shell.Command;
import au.edu.unimelb.reporting.ops.shell.CommandRunner;
import au.edu.unimelb.reporting.ops.shell.Program;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.core.domain.AccessTarget.Predicates.declaredIn;
import static com.tngtech.archunit.core.domain.JavaAccess.Predicates.target;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code Dockerfile} builds an image that can run every step: its final stage
 * installs each program the service runs ({@link Program}, the only programs the code can
 * start: checked here on the compiled classes), the Java runtime the build targets and
 * the PostgreSQL client of the databases' major; it runs as a user of its own and bakes
 * no secret in. Read as text: there is no container engine on the machines that run the
 * tests.
 */
class DockerfileTest {

	static final Path DOCKERFILE = Path.of("Dockerfile");

	static final String BASE = "au.edu.unimelb.reporting.ops";

	/** The service's compiled classes, tests left out. */
	static final JavaClasses MAIN = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages(BASE);

	/**
	 * Libraries that start programs (none is a dependency today): through them, main code
	 * would start programs past the runner.
	 */
	static final String[] PROCESS_LIBRARIES = { "org.apache.commons.exec..", "org.zeroturnaround.exec..",
			"com.zaxxer.nuprocess.." };

	/**
	 * The Debian package to install for each program ({@code dpkg -S} on a Debian 12
	 * machine). GnuPG's programs come from {@code gpg}, {@code gpg-agent} and
	 * {@code gpgconf}, on which {@code gnupg} depends: the image installs that one.
	 * {@code ${PG_MAJOR}} is the Dockerfile's build argument.
	 */
	static final Map<Program, String> PACKAGES = packages();

	/**
	 * What duplicity only suggests, and the image installs for the targets
	 * {@code ops.backup.target-url-prefix} takes: its swift backend imports
	 * python-swiftclient, which needs keystoneclient for Swift auth versions 2 and 3.
	 */
	static final List<String> SWIFT_BACKEND = List.of("python3-swiftclient", "python3-keystoneclient");

	private static Map<Program, String> packages() {
		Map<Program, String> packages = new EnumMap<>(Program.class);
		packages.put(Program.SETPRIV, "util-linux");
		packages.put(Program.PG_DUMP, "postgresql-client-${PG_MAJOR}");
		packages.put(Program.PG_RESTORE, "postgresql-client-${PG_MAJOR}");
		packages.put(Program.DUPLICITY, "duplicity");
		packages.put(Program.GPGCONF, "gnupg");
		packages.put(Program.GPG, "gnupg");
		packages.put(Program.GPG_AGENT, "gnupg");
		return packages;
	}

	@Test
	void installsEveryProgramTheServiceRuns() throws IOException {
		Dockerfile dockerfile = Dockerfile.read(DOCKERFILE).finalStage();
		Set<String> installed = dockerfile.installedPackages();
		List<String> missing = new ArrayList<>();
		for (Program program : Program.values()) {
			String pkg = PACKAGES.get(program);
			if (pkg == null) {
				missing.add(program.fileName() + " (Program." + program.name() + ") has no Debian package in "
						+ "DockerfileTest.PACKAGES: add the one that ships it (dpkg -S " + program.fileName() + ")");
			}
			else if (!installed.contains(dockerfile.expand(pkg))) {
				missing.add(program.fileName() + " (Program." + program.name() + "): the Dockerfile does not install "
						+ dockerfile.expand(pkg) + " in its final stage (or removes it again)");
			}
		}
		assertThat(missing).as("programs the service runs that the image would not have (installed: %s)", installed)
			.isEmpty();
	}

	@Test
	void installsDuplicitysSwiftBackend() throws IOException {
		assertThat(Dockerfile.read(DOCKERFILE).finalStage().installedPackages())
			.as("duplicity's swift:// backend needs these, which it only suggests")
			.containsAll(SWIFT_BACKEND);
	}

	/**
	 * A program is started only by {@link CommandRunner}, and only as a {@link Command},
	 * of which the program is a {@link Program} (the next test). Read from the bytecode,
	 * where a method reference, a static import, a qualified name or a line break hides
	 * nothing.
	 */
	@Test
	void onlyTheRunnerUsesProcessBuilder() {
		noClasses().that()
			.doNotBelongToAnyOf(CommandRunner.class)
			.should()
			.dependOnClassesThat()
			.belongToAnyOf(ProcessBuilder.class)
			.because("shell.CommandRunner is the one way to start a program, and it starts a shell.Program only, "
					+ "which the image installs: run a Command.of(Program, ...) there (add the program to Program, "
					+ "and its package to the Dockerfile and DockerfileTest.PACKAGES)")
			.check(MAIN);
	}

	@Test
	void mainCodeCallsNoRuntimeExec() {
		noClasses().should()
			.accessTargetWhere(target(declaredIn(Runtime.class).and(name("exec"))))
			.because("Runtime.exec starts any program: run a Command.of(Program, ...) through shell.CommandRunner")
			.check(MAIN);
	}

	@Test
	void mainCodeUsesNoLibraryThatStartsPrograms() {
		noClasses().should()
			.dependOnClassesThat()
			.resideInAnyPackage(PROCESS_LIBRARIES)
			.because("these start any program: run a Command.of(Program, ...) through shell.CommandRunner")
			.check(MAIN);
	}

	@Test
	void mainCodeMakesCommandsOfListedProgramsOnly() {
		noClasses().should()
			.accessTargetWhere(target(declaredIn(Command.class).and(name("anyProgram"))))
			.because("Command.anyProgram is for the runner's tests: the service's code names a shell.Program "
					+ "(Command.of(Program, ...)), so that the image installs it")
			.check(MAIN);
	}

	@Test
	void runsTheJavaVersionTheBuildTargets() throws IOException {
		Matcher version = Pattern.compile("<java.version>(\\d+)</java.version>")
			.matcher(Files.readString(Path.of("pom.xml")));
		assertThat(version.find()).as("pom.xml's java.version").isTrue();
		assertThat(Dockerfile.read(DOCKERFILE).finalStage().installedPackages())
			.contains("openjdk-" + version.group(1) + "-jre-headless");
	}

	@Test
	void installsThePostgresClientOfTheDatabasesMajor() throws IOException {
		Dockerfile dockerfile = Dockerfile.read(DOCKERFILE).finalStage();
		Matcher db = Pattern.compile("image: postgres:(\\d+)").matcher(Files.readString(DockerComposeFileTest.COMPOSE));
		assertThat(db.find()).as("docker-compose.yml's database image").isTrue();
		assertThat(dockerfile.arguments()).as("the Dockerfile's ARG PG_MAJOR default, and the compose database's")
			.containsEntry("PG_MAJOR", db.group(1));
	}

	@Test
	void runsAsAUserOfItsOwn() throws IOException {
		List<String> users = Dockerfile.read(DOCKERFILE).finalStage().instructions("USER");
		assertThat(users).as("USER instructions").isNotEmpty();
		assertThat(users.get(users.size() - 1)).isNotIn("root", "0", "0:0", "root:root");
	}

	@Test
	void bakesNoSecretIn() throws IOException {
		Dockerfile dockerfile = Dockerfile.read(DOCKERFILE);
		Pattern secretName = Pattern.compile("(?i)password|passphrase|secret|token|credential|_key\\b|^key");
		List<String> named = new ArrayList<>();
		for (String instruction : List.of("ENV", "ARG")) {
			for (String value : dockerfile.instructions(instruction)) {
				String name = value.split("[=\\s]", 2)[0];
				if (secretName.matcher(name).find()) {
					named.add(instruction + " " + value);
				}
			}
		}
		assertThat(named).as("secrets come from the environment or files when the container runs").isEmpty();
	}

	@Test
	void copiesTheJarMavenBuilds() throws IOException {
		assertThat(Dockerfile.read(DOCKERFILE).finalStage().instructions("COPY"))
			.anyMatch((copy) -> copy.startsWith("target/reporting-ops.jar "));
	}

	@Test
	void sendsOnlyTheJarToTheBuild() throws IOException {
		// the build context would otherwise carry .env (compose's secrets) and data/
		List<String> rules = Files.readAllLines(Path.of(".dockerignore"))
			.stream()
			.map(String::strip)
			.filter((line) -> !line.isEmpty() && !line.startsWith("#"))
			.toList();
		assertThat(rules).containsExactly("*", "!target/reporting-ops.jar");
	}

	@Test
	void readsInstalledPackagesAcrossContinuedLines() {
		Dockerfile dockerfile = Dockerfile.parse("""
				FROM debian:bookworm-slim
				ARG PG_MAJOR=15
				# a comment \\
				RUN apt-get update \\
					&& apt-get install -y --no-install-recommends \\
						duplicity \\
						postgresql-client-${PG_MAJOR} \\
					&& rm -rf /var/lib/apt/lists/*
				RUN apt-get install -y gnupg; apt-get clean
				RUN DEBIAN_FRONTEND=noninteractive apt-get -o Dpkg::Use-Pty=0 -y install util-linux=2.38.1-5
				USER app
				""").finalStage();
		assertThat(dockerfile.installedPackages()).containsExactly("duplicity", "postgresql-client-15", "gnupg",
				"util-linux");
		assertThat(dockerfile.instructions("USER")).containsExactly("app");
		assertThat(PACKAGES).as("every program has its package").containsOnlyKeys(Program.values());
	}

	/**
	 * The image is the last stage: what an earlier one installs is not in it (unless the
	 * last is built FROM it), nor is what is removed again.
	 */
	@Test
	void installedPackagesAreTheFinalStagesLessTheRemovedOnes() {
		Dockerfile multiStage = Dockerfile.parse("""
				ARG PG_MAJOR=15
				FROM debian:bookworm-slim AS tools
				ARG PG_MAJOR
				RUN apt-get install -y duplicity gnupg postgresql-client-${PG_MAJOR}
				FROM tools AS with-java
				RUN apt-get install -y openjdk-17-jre-headless
				FROM debian:bookworm-slim
				RUN apt-get install -y util-linux
				COPY --from=tools /usr/bin/duplicity /usr/bin/duplicity
				""");
		assertThat(multiStage.finalStage().installedPackages()).containsExactly("util-linux");

		Dockerfile onAnEarlierStage = Dockerfile.parse("""
				ARG PG_MAJOR=15
				FROM debian:bookworm-slim AS tools
				ARG PG_MAJOR
				RUN apt-get install -y duplicity postgresql-client-${PG_MAJOR}
				FROM tools
				ARG PG_MAJOR=16
				RUN apt-get install -y gnupg
				""");
		assertThat(onAnEarlierStage.finalStage().installedPackages()).containsExactly("duplicity",
				"postgresql-client-15", "gnupg");

		Dockerfile removing = Dockerfile.parse("""
				FROM debian:bookworm-slim
				ARG PG_MAJOR=15
				RUN apt-get install -y duplicity gnupg postgresql-client-${PG_MAJOR} util-linux tzdata curl wget \\
					&& apt-get purge -y duplicity gnupg postgresql-client-${PG_MAJOR}
				RUN dpkg -r util-linux; dpkg --purge tzdata
				RUN apt-get install -y gnupg curl- && sudo apt remove wget
				RUN <<EOF
				apt-get update
				apt-get -y autoremove --purge \\
					gnupg
				EOF
				USER app
				""");
		assertThat(removing.finalStage().installedPackages()).isEmpty();
		assertThat(removing.finalStage().instructions("USER")).containsExactly("app");

		Dockerfile unreadable = Dockerfile.parse("""
				FROM debian:bookworm-slim
				RUN apt-get install -y duplicity && echo duplicity | xargs apt-get purge -y
				""");
		assertThatThrownBy(() -> unreadable.finalStage().installedPackages())
			.hasMessageContaining("xargs apt-get purge -y");
	}

	/**
	 * A Dockerfile's instructions, continued lines joined, here-documents kept with their
	 * instruction and comments dropped.
	 *
	 * @param lines each instruction: its keyword (upper case) and the rest
	 */
	record Dockerfile(List<Map.Entry<String, String>> lines) {

		private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)}|\\$(\\w+)");

		private static final Pattern HEREDOC = Pattern.compile("<<-?\\s*[\"']?(\\w+)[\"']?");

		/** How a shell line ends one command and starts the next. */
		private static final Pattern COMMAND_END = Pattern.compile("&&|\\|\\||[;|&\\n()]");

		/** Words before a command that leave the command what it is. */
		private static final Set<String> PREFIXES = Set.of("sudo", "env", "then", "do", "else", "exec", "command",
				"nohup", "time", "!", "{");

		/** apt-get's options that take the next word as their value. */
		private static final Set<String> APT_VALUED_OPTIONS = Set.of("-o", "-c", "-t", "--option", "--config-file",
				"--target-release", "--default-release");

		static Dockerfile read(Path file) throws IOException {
			return parse(Files.readString(file));
		}

		static Dockerfile parse(String text) {
			List<Map.Entry<String, String>> lines = new ArrayList<>();
			StringBuilder current = new StringBuilder();
			Iterator<String> input = List.of(text.split("\n")).iterator();
			while (input.hasNext()) {
				String stripped = input.next().strip();
				if (stripped.startsWith("#") || stripped.isEmpty()) {
					continue;
				}
				if (stripped.endsWith("\\")) {
					current.append(stripped, 0, stripped.length() - 1).append(' ');
					continue;
				}
				current.append(stripped);
				String instruction = current.toString().strip();
				if (instruction.matches("(?i)(RUN|COPY|ADD)\\s.*")) {
					// the documents' lines belong to the instruction (RUN <<EOF ... EOF)
					Matcher heredoc = HEREDOC.matcher(instruction);
					StringBuilder documents = new StringBuilder();
					while (heredoc.find()) {
						while (input.hasNext()) {
							String line = input.next().strip();
							if (line.equals(heredoc.group(1))) {
								break;
							}
							documents.append('\n').append(line);
						}
					}
					// a shell line continued in a document
					instruction = HEREDOC.matcher(instruction).replaceAll("")
							+ documents.toString().replace("\\\n", " ");
				}
				String[] parts = instruction.split("\\s+", 2);
				lines.add(Map.entry(parts[0].toUpperCase(), (parts.length > 1) ? parts[1] : ""));
				current.setLength(0);
			}
			return new Dockerfile(List.copyOf(lines));
		}

		/**
		 * The stage that is the image: the instructions from the last {@code FROM} on,
		 * after those of the earlier stages it is built on ({@code FROM <stage>}), each
		 * stage's variables expanded with its own {@code ARG}s. Nothing of a stage it
		 * only copies files from: a program copied out of another stage is not installed
		 * (its libraries and the package's other files are not there).
		 */
		Dockerfile finalStage() {
			Map<String, String> global = new LinkedHashMap<>();
			List<List<Map.Entry<String, String>>> stages = new ArrayList<>();
			Map<String, Integer> named = new LinkedHashMap<>();
			for (Map.Entry<String, String> line : this.lines) {
				if (line.getKey().equals("FROM")) {
					List<String> words = from(line.getValue());
					if (words.size() >= 3 && words.get(1).equalsIgnoreCase("as")) {
						named.put(words.get(2).toLowerCase(), stages.size());
					}
					stages.add(new ArrayList<>());
				}
				if (stages.isEmpty()) {
					if (line.getKey().equals("ARG")) {
						String[] argument = line.getValue().split("=", 2);
						global.put(argument[0].strip(), (argument.length > 1) ? argument[1].strip() : null);
					}
				}
				else {
					stages.get(stages.size() - 1).add(line);
				}
			}
			List<List<Map.Entry<String, String>>> chain = new ArrayList<>();
			int at = stages.size() - 1;
			while (at >= 0) {
				chain.add(0, stages.get(at));
				Integer base = named.get(from(stages.get(at).get(0).getValue()).get(0).toLowerCase());
				at = (base != null && base < at) ? base : -1;
			}
			List<Map.Entry<String, String>> lines = new ArrayList<>();
			for (List<Map.Entry<String, String>> stage : chain) {
				List<Map.Entry<String, String>> own = new ArrayList<>();
				for (Map.Entry<String, String> line : stage) {
					// a stage's ARG NAME takes the default of a global ARG NAME=...
					boolean inherits = line.getKey().equals("ARG") && !line.getValue().contains("=")
							&& global.get(line.getValue().strip()) != null;
					own.add(inherits
							? Map.entry("ARG", line.getValue().strip() + "=" + global.get(line.getValue().strip()))
							: line);
				}
				Dockerfile expanding = new Dockerfile(own);
				own.forEach((line) -> lines
					.add(line.getKey().equals("RUN") ? Map.entry("RUN", expanding.expand(line.getValue())) : line));
			}
			return new Dockerfile(List.copyOf(lines));
		}

		/** A FROM's image and {@code AS name}, its options left out. */
		private static List<String> from(String value) {
			return List.of(value.strip().split("\\s+")).stream().filter((word) -> !word.startsWith("--")).toList();
		}

		/** The arguments of every instruction of a kind, in order. */
		List<String> instructions(String keyword) {
			return this.lines.stream()
				.filter((line) -> line.getKey().equals(keyword))
				.map(Map.Entry::getValue)
				.toList();
		}

		/** {@code ARG} names and their defaults. */
		Map<String, String> arguments() {
			Map<String, String> arguments = new LinkedHashMap<>();
			for (String argument : instructions("ARG")) {
				String[] parts = argument.split("=", 2);
				arguments.put(parts[0].strip(), (parts.length > 1) ? parts[1].strip() : null);
			}
			return arguments;
		}

		/** {@code ${NAME}} and {@code $NAME} replaced by the ARG defaults. */
		String expand(String text) {
			Map<String, String> arguments = arguments();
			Matcher variable = VARIABLE.matcher(text);
			StringBuilder expanded = new StringBuilder();
			while (variable.find()) {
				String name = (variable.group(1) != null) ? variable.group(1) : variable.group(2);
				String value = arguments.get(name);
				variable.appendReplacement(expanded,
						Matcher.quoteReplacement((value != null) ? value : variable.group()));
			}
			return variable.appendTail(expanded).toString();
		}

		/**
		 * What the RUN instructions leave installed, in their order: the packages each
		 * {@code apt-get} (or {@code apt}, {@code aptitude}) {@code install} names, less
		 * those a later {@code remove}, {@code purge}, {@code autoremove}, an install's
		 * {@code name-}, or {@code dpkg -r}/{@code -P} ({@code --remove},
		 * {@code --purge}) names. ARGs expanded; versions, releases and architectures
		 * dropped.
		 * @throws AssertionError when a command removes packages it does not name (their
		 * names come from {@code xargs})
		 */
		Set<String> installedPackages() {
			Set<String> packages = new LinkedHashSet<>();
			for (String run : instructions("RUN")) {
				for (String command : COMMAND_END.split(shellLine(run))) {
					List<String> words = new ArrayList<>(List.of(command.strip().split("\\s+")));
					boolean namesFromInput = false;
					while (!words.isEmpty() && (PREFIXES.contains(words.get(0)) || words.get(0).equals("xargs")
							|| words.get(0).matches("\\w+=.*") || words.get(0).isEmpty())) {
						namesFromInput |= words.get(0).equals("xargs");
						words.remove(0);
					}
					if (words.isEmpty()) {
						continue;
					}
					String program = words.get(0).substring(words.get(0).lastIndexOf('/') + 1);
					List<String> operands = operands(words.subList(1, words.size()));
					Set<String> removed = new LinkedHashSet<>();
					if (program.matches("apt-get|apt|aptitude") && !operands.isEmpty()) {
						String action = operands.get(0);
						for (String name : operands.subList(1, operands.size())) {
							if (action.matches("install|reinstall") && !name.endsWith("-")) {
								packages.add(packageName(name));
							}
							else if (action.matches("install|reinstall|remove|purge|autoremove")) {
								removed.add(packageName(name.replaceAll("-$", "")));
							}
						}
						namesFromInput &= action.matches("remove|purge|autoremove");
					}
					else if (program.equals("dpkg") && words.stream()
						.anyMatch((word) -> word.matches("-r|-P|--remove|--purge|--remove=.*|--purge=.*"))) {
						operands.forEach((name) -> removed.add(packageName(name)));
					}
					else {
						namesFromInput = false;
					}
					if (namesFromInput) {
						throw new AssertionError("Cannot tell which packages '" + command.strip()
								+ "' removes: name them in the Dockerfile");
					}
					packages.removeAll(removed);
				}
			}
			return packages;
		}

		/**
		 * A RUN's shell line; the exec form ({@code ["apt-get", "install", ...]}) too.
		 */
		private static String shellLine(String run) {
			if (!run.startsWith("[")) {
				return run;
			}
			try {
				List<String> argv = List.of(new ObjectMapper().readValue(run, String[].class));
				boolean shell = argv.size() >= 3 && argv.get(0).matches("(/bin/|/usr/bin/)?(sh|bash|dash)")
						&& argv.get(1).equals("-c");
				return shell ? argv.get(2) : String.join(" ", argv);
			}
			catch (IOException ex) {
				return run;
			}
		}

		/** The words that are not options, nor the values of apt-get's valued options. */
		private static List<String> operands(List<String> arguments) {
			List<String> operands = new ArrayList<>();
			for (int i = 0; i < arguments.size(); i++) {
				String word = arguments.get(i);
				if (APT_VALUED_OPTIONS.contains(word)) {
					i++;
				}
				else if (!word.startsWith("-") && !word.isEmpty()) {
					operands.add(word);
				}
			}
			return operands;
		}

		/**
		 * {@code duplicity} for {@code duplicity=0.8.22-1}, {@code duplicity/bookworm}.
		 */
		private static String packageName(String word) {
			return word.replaceAll("[=/].*$", "").replaceAll(":[\\w-]+$", "");
		}

	}

}
