package au.edu.unimelb.reporting.ops.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
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
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.core.domain.AccessTarget.Predicates.declaredIn;
import static com.tngtech.archunit.core.domain.JavaAccess.Predicates.target;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code Dockerfile} builds an image that can run every step: it installs each
 * program the service runs ({@link Program}, the only programs the code can start:
 * checked here on the compiled classes), the Java runtime the build targets and the
 * PostgreSQL client of the databases' major; it runs as a user of its own and bakes no
 * secret in. Read as text: there is no container engine on the machines that run the
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
		Dockerfile dockerfile = Dockerfile.read(DOCKERFILE);
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
						+ dockerfile.expand(pkg));
			}
		}
		assertThat(missing).as("programs the service runs that the image would not have (installed: %s)", installed)
			.isEmpty();
	}

	@Test
	void installsDuplicitysSwiftBackend() throws IOException {
		assertThat(Dockerfile.read(DOCKERFILE).installedPackages())
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
		assertThat(Dockerfile.read(DOCKERFILE).installedPackages())
			.contains("openjdk-" + version.group(1) + "-jre-headless");
	}

	@Test
	void installsThePostgresClientOfTheDatabasesMajor() throws IOException {
		Dockerfile dockerfile = Dockerfile.read(DOCKERFILE);
		Matcher db = Pattern.compile("image: postgres:(\\d+)").matcher(Files.readString(DockerComposeFileTest.COMPOSE));
		assertThat(db.find()).as("docker-compose.yml's database image").isTrue();
		assertThat(dockerfile.arguments()).as("the Dockerfile's ARG PG_MAJOR default, and the compose database's")
			.containsEntry("PG_MAJOR", db.group(1));
	}

	@Test
	void runsAsAUserOfItsOwn() throws IOException {
		List<String> users = Dockerfile.read(DOCKERFILE).instructions("USER");
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
		assertThat(Dockerfile.read(DOCKERFILE).instructions("COPY"))
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
				USER app
				""");
		assertThat(dockerfile.installedPackages()).containsExactly("duplicity", "postgresql-client-15", "gnupg");
		assertThat(dockerfile.instructions("USER")).containsExactly("app");
		assertThat(PACKAGES).as("every program has its package").containsOnlyKeys(Program.values());
	}

	/**
	 * A Dockerfile's instructions, continued lines joined and comments dropped.
	 *
	 * @param lines each instruction: its keyword (upper case) and the rest
	 */
	record Dockerfile(List<Map.Entry<String, String>> lines) {

		private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)}|\\$(\\w+)");

		static Dockerfile read(Path file) throws IOException {
			return parse(Files.readString(file));
		}

		static Dockerfile parse(String text) {
			List<Map.Entry<String, String>> lines = new ArrayList<>();
			StringBuilder current = new StringBuilder();
			for (String line : text.split("\n")) {
				String stripped = line.strip();
				if (stripped.startsWith("#") || stripped.isEmpty()) {
					continue;
				}
				if (stripped.endsWith("\\")) {
					current.append(stripped, 0, stripped.length() - 1).append(' ');
					continue;
				}
				current.append(stripped);
				String[] parts = current.toString().strip().split("\\s+", 2);
				lines.add(Map.entry(parts[0].toUpperCase(), (parts.length > 1) ? parts[1] : ""));
				current.setLength(0);
			}
			return new Dockerfile(List.copyOf(lines));
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

		/** The packages every {@code apt-get install} of a RUN names, ARGs expanded. */
		Set<String> installedPackages() {
			Set<String> packages = new LinkedHashSet<>();
			for (String run : instructions("RUN")) {
				for (String command : run.split("&&|;|\\|\\|?")) {
					List<String> words = List.of(command.strip().split("\\s+"));
					int install = words.indexOf("install");
					if (install > 0 && words.get(install - 1).matches("apt-get|apt")) {
						words.subList(install + 1, words.size())
							.stream()
							.filter((word) -> !word.startsWith("-"))
							.map(this::expand)
							.forEach(packages::add);
					}
				}
			}
			return packages;
		}

	}

}
