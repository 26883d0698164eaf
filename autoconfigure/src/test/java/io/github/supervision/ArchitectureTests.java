package io.github.supervision;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import com.tngtech.archunit.library.Architectures;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import io.github.supervision.autoconfigure.DeclaredServices;
import io.github.supervision.systemd.SystemdScope;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;

/**
 * The package rules of the architecture: the API is free of Spring and of backends,
 * backends never import each other, only the Spring-facing packages import Spring, only
 * the metrics and their auto-configuration import Micrometer, every package may import
 * only the packages named for it, and {@code autoconfigure} holds only
 * auto-configurations and their properties.
 *
 * @author Supervision contributors
 */
class ArchitectureTests {

	private static final String[] BACKENDS = { "..supervision.embedded..", "..supervision.systemd..",
			"..supervision.runit..", "..supervision.supervisord..", "io.github.supervision.registration",
			"io.github.supervision.notify" };

	private final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.github.supervision");

	@Test
	void apiDependsOnNeitherSpringNorBackends() {
		ArchRule rule = ArchRuleDefinition.noClasses()
			.that()
			.resideInAPackage("io.github.supervision")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(concat(BACKENDS, "org.springframework..", "..supervision.actuate..",
					"..supervision.autoconfigure..", "..supervision.selfregistration..",
					"..supervision.notify.boot.."));
		rule.check(this.classes);
	}

	@Test
	void backendsDependOnNoSpringAndNoAutoConfiguration() {
		ArchRule rule = ArchRuleDefinition.noClasses()
			.that()
			.resideInAnyPackage(BACKENDS)
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..", "..supervision.actuate..", "..supervision.autoconfigure..",
					"..supervision.selfregistration..", "..supervision.notify.boot..");
		rule.check(this.classes);
	}

	@Test
	void registrationUsesNoBackendButTheSharedSystemdScope() {
		ArchRule rule = ArchRuleDefinition.noClasses()
			.that()
			.resideInAPackage("io.github.supervision.registration")
			.should()
			.dependOnClassesThat(DescribedPredicate.describe("reside in a backend and are not SystemdScope",
					(JavaClass type) -> type.getPackageName()
						.matches("io\\.github\\.supervision\\.(embedded|systemd|runit|supervisord)(\\..*)?")
							&& !type.isEquivalentTo(SystemdScope.class)));
		rule.check(this.classes);
	}

	@Test
	void everyPackageImportsOnlyThePackagesNamedForIt() {
		ArchRule rule = Architectures.layeredArchitecture()
			.consideringOnlyDependenciesInLayers()
			.layer("api")
			.definedBy("io.github.supervision")
			.layer("support")
			.definedBy("io.github.supervision.support..")
			.layer("embedded")
			.definedBy("io.github.supervision.embedded..")
			.layer("systemd")
			.definedBy("io.github.supervision.systemd..")
			.layer("runit")
			.definedBy("io.github.supervision.runit..")
			.layer("supervisord")
			.definedBy("io.github.supervision.supervisord..")
			.layer("registration")
			.definedBy("io.github.supervision.registration")
			.layer("notify")
			.definedBy("io.github.supervision.notify")
			.layer("notify.boot")
			.definedBy("io.github.supervision.notify.boot")
			.layer("actuate")
			.definedBy("io.github.supervision.actuate..")
			.layer("selfregistration")
			.definedBy("io.github.supervision.selfregistration")
			.layer("selfregistration.activation")
			.definedBy("io.github.supervision.selfregistration.activation")
			.layer("selfregistration.command")
			.definedBy("io.github.supervision.selfregistration.command")
			.layer("autoconfigure")
			.definedBy("io.github.supervision.autoconfigure")
			.whereLayer("support")
			.mayNotAccessAnyLayer()
			.whereLayer("api")
			.mayOnlyAccessLayers("support")
			.whereLayer("embedded")
			.mayOnlyAccessLayers("api", "support")
			.whereLayer("systemd")
			.mayOnlyAccessLayers("api", "support")
			.whereLayer("runit")
			.mayOnlyAccessLayers("api", "support")
			.whereLayer("supervisord")
			.mayOnlyAccessLayers("api", "support")
			.whereLayer("registration")
			.mayOnlyAccessLayers("api", "support", "systemd")
			.whereLayer("notify")
			.mayOnlyAccessLayers("support")
			.whereLayer("notify.boot")
			.mayOnlyAccessLayers("notify", "support")
			.whereLayer("actuate")
			.mayOnlyAccessLayers("api", "support")
			.whereLayer("selfregistration")
			.mayOnlyAccessLayers("registration", "systemd", "actuate")
			.whereLayer("selfregistration.activation")
			.mayOnlyAccessLayers("api", "registration", "systemd", "supervisord", "autoconfigure")
			.whereLayer("selfregistration.command")
			.mayOnlyAccessLayers("registration", "systemd", "selfregistration", "selfregistration.activation",
					"autoconfigure")
			.whereLayer("autoconfigure")
			.mayOnlyAccessLayers("api", "support", "embedded", "systemd", "runit", "supervisord", "registration",
					"notify", "notify.boot", "actuate", "selfregistration")
			.whereLayer("selfregistration.command")
			.mayNotBeAccessedByAnyLayer();
		rule.check(this.classes);
	}

	@Test
	void autoconfigureHoldsOnlyAutoConfigurationsAndTheirProperties() {
		// DeclaredServices is supervision.services parsed once: derived from the
		// properties, shared by the backend auto-configurations and the catalog's.
		// Conditions of the auto-configurations are named as Spring Boot's:
		// ConditionalOnX and OnXCondition
		ArchRule rule = ArchRuleDefinition.classes()
			.that()
			.resideInAPackage("io.github.supervision.autoconfigure")
			.and()
			.areTopLevelClasses()
			.and()
			.doNotHaveSimpleName("package-info")
			.should()
			.haveSimpleNameEndingWith("AutoConfiguration")
			.orShould()
			.haveSimpleNameEndingWith("Properties")
			.orShould()
			.be(DeclaredServices.class)
			.orShould()
			.haveNameMatching("io\\.github\\.supervision\\.autoconfigure\\.(ConditionalOn\\w+|On\\w+Condition)");
		rule.check(this.classes);
	}

	@Test
	void backendsNeverDependOnEachOther() {
		ArchRule rule = SlicesRuleDefinition.slices()
			.matching("io.github.supervision.(embedded|systemd|runit|supervisord)..")
			.should()
			.notDependOnEachOther()
			.allowEmptyShould(true);
		rule.check(this.classes);
	}

	@Test
	void actuatePartsDependOnNoBackend() {
		ArchRule rule = ArchRuleDefinition.noClasses()
			.that()
			.resideInAPackage("..supervision.actuate..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(BACKENDS);
		rule.check(this.classes);
	}

	@Test
	void onlyTheMetricsAndTheirAutoConfigurationDependOnMicrometer() {
		ArchRule rule = ArchRuleDefinition.noClasses()
			.that()
			.resideOutsideOfPackages("..supervision.actuate.metrics..", "..supervision.autoconfigure..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.micrometer..");
		rule.check(this.classes);
	}

	@Test
	void supportDependsOnNothingElseOfOursAndNoSpring() {
		ArchRule rule = ArchRuleDefinition.noClasses()
			.that()
			.resideInAPackage("..supervision.support..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..", "io.github.supervision", "..supervision.actuate..",
					"..supervision.autoconfigure..", "..supervision.embedded..", "..supervision.systemd..",
					"..supervision.runit..", "..supervision.supervisord..", "..supervision.registration..",
					"..supervision.notify..", "..supervision.selfregistration..");
		rule.check(this.classes);
	}

	@Test
	void packagesHaveNoCycles() {
		ArchRule rule = SlicesRuleDefinition.slices().matching("io.github.supervision.(**)").should().beFreeOfCycles();
		rule.check(this.classes);
	}

	@Test
	void autoConfigurationClassesArePublicFinal() {
		ArchRule rule = ArchRuleDefinition.classes()
			.that()
			.areAnnotatedWith(AutoConfiguration.class)
			.should()
			.bePublic()
			.andShould()
			.haveModifier(JavaModifier.FINAL)
			.andShould()
			.resideInAPackage("..supervision.autoconfigure");
		rule.check(this.classes);
	}

	@Test
	void managementContextConfigurationsArePublicFinalAndLiveInAutoconfigure() {
		ArchRule rule = ArchRuleDefinition.classes()
			.that()
			.areAnnotatedWith(ManagementContextConfiguration.class)
			.should()
			.bePublic()
			.andShould()
			.haveModifier(JavaModifier.FINAL)
			.andShould()
			.resideInAPackage("..supervision.autoconfigure");
		rule.check(this.classes);
	}

	private static String[] concat(String[] first, String... more) {
		String[] result = new String[first.length + more.length];
		System.arraycopy(first, 0, result, 0, first.length);
		System.arraycopy(more, 0, result, first.length, more.length);
		return result;
	}

}
