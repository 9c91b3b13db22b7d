package au.edu.unimelb.reporting.ops;

import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package rules of the service, checked on its compiled classes (tests left out), so
 * that a dependency that points the wrong way fails the build instead of drifting:
 *
 * <pre>
 * features        deploy  release  backup  restore  nightly   (the processes' steps)
 *   ↓
 * infrastructure  engine  lock  security  records  notify     (the engine, locks, users, records, notices,
 *                 dependencies                                 the outside systems' health)
 *   ↓
 * facades         heat  ssh  webfront  health  shell  postgres  duplicity  compute  openstack  mail  webhook
 *   ↓
 * config          typed settings and the secrets they hold
 * </pre>
 *
 * A package depends only on packages below it or beside it, never in a cycle; nightly
 * (what backup and restore share) sits below the other features. Every package is in one
 * of these groups, so a new one is placed on purpose.
 *
 * <p>
 * Compiled classes do not show everything: the compiler copies constants into the classes
 * that use them, and the models name beans by string. {@link SourceDependenciesTest}
 * checks the same layers on the source text and the models.
 */
@AnalyzeClasses(packages = ArchitectureTest.BASE, importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

	static final String BASE = "au.edu.unimelb.reporting.ops";

	/** What the processes do, step by step. */
	static final String[] FEATURES = packages("deploy", "release", "backup", "restore", "nightly");

	/**
	 * The engine's set-up, the run locks, users and authorizations, the record tables,
	 * the notifications (sent after the engine's transaction commits), the health of the
	 * outside systems.
	 */
	static final String[] INFRASTRUCTURE = packages("engine", "lock", "security", "records", "notify", "dependencies");

	/** One public facade each over an outside system or program. */
	static final String[] FACADES = packages("heat", "ssh", "webfront", "health", "shell", "postgres", "duplicity",
			"compute", "openstack", "mail", "webhook");

	static final String CONFIG = BASE + ".config..";

	@ArchTest
	static final ArchRule packagesDependOnEachOtherWithoutCycles = slices().matching(BASE + ".(*)..")
		.should()
		.beFreeOfCycles()
		.because("a cycle between packages means neither can be read, tested or changed on its own");

	@ArchTest
	static final ArchRule facadesUseOnlyConfigAndOtherFacades = classes().that()
		.resideInAnyPackage(FACADES)
		.should()
		.onlyDependOnClassesThat(
				resideOutsideOfPackage(BASE + "..").or(resideInAnyPackage(FACADES)).or(resideInAnyPackage(CONFIG)))
		.because("a facade wraps one outside system for every feature, and knows none of them "
				+ "(nor the engine, the locks or the users)");

	@ArchTest
	static final ArchRule configUsesNothingElseOfOurs = classes().that()
		.resideInAPackage(CONFIG)
		.should()
		.onlyDependOnClassesThat(resideOutsideOfPackage(BASE + "..").or(resideInAnyPackage(CONFIG)))
		.because("the settings are the bottom layer that every other package reads");

	@ArchTest
	static final ArchRule infrastructureUsesNoFeature = noClasses().that()
		.resideInAnyPackage(INFRASTRUCTURE)
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage(FEATURES)
		.because("the engine, locks, users and records serve every feature; a feature plugs in through "
				+ "an interface of theirs (such as engine.StepTimeouts), never the other way round");

	@ArchTest
	static final ArchRule nightlyUsesNoOtherFeature = noClasses().that()
		.resideInAPackage(BASE + ".nightly..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage(packages("deploy", "release", "backup", "restore"))
		.because("nightly is what backup and restore share: it sits below both, and knows neither");

	@ArchTest
	static final ArchRule theBasePackageHoldsOnlyTheApplication = classes().that()
		.resideInAPackage(BASE)
		.should()
		.haveSimpleName("ReportingOpsApplication")
		.because("a class in the base package is in no layer, so no rule would see what it depends on");

	@ArchTest
	static final ArchRule everyPackageIsPlacedInALayer = classes().that(not(resideInAnyPackage(BASE)))
		.should(resideInALayer());

	private static ArchCondition<JavaClass> resideInALayer() {
		Set<String> placed = Stream.of(FEATURES, INFRASTRUCTURE, FACADES, new String[] { CONFIG })
			.flatMap(Stream::of)
			.map((pattern) -> pattern.substring(0, pattern.length() - 2))
			.collect(Collectors.toSet());
		return new ArchCondition<>("reside in a package that ArchitectureTest places in a layer") {
			@Override
			public void check(JavaClass javaClass, ConditionEvents events) {
				String top = topPackage(javaClass.getPackageName());
				if (!placed.contains(top)) {
					events.add(SimpleConditionEvent.violated(javaClass, javaClass.getName() + " is in " + top
							+ ", which no layer of ArchitectureTest names: place it in one"));
				}
			}
		};
	}

	/** {@code BASE.deploy} for {@code BASE.deploy.anything}. */
	private static String topPackage(String name) {
		int next = name.indexOf('.', BASE.length() + 1);
		return (next < 0) ? name : name.substring(0, next);
	}

	private static String[] packages(String... names) {
		return Stream.of(names).map((name) -> BASE + "." + name + "..").toArray(String[]::new);
	}

}
