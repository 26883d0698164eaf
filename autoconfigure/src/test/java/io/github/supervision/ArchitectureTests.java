package io.github.supervision;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;

/**
 * The package rules of the architecture: the API is free of Spring and of backends,
 * backends never import each other, and only {@code actuate} and {@code autoconfigure}
 * import Spring.
 *
 * @author Supervision contributors
 */
class ArchitectureTests {

	private static final String[] BACKENDS = { "..supervision.embedded..", "..supervision.systemd..",
			"..supervision.runit..", "..supervision.supervisord..", "..supervision.registration..",
			"..supervision.notify.." };

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
					"..supervision.autoconfigure.."));
		rule.check(this.classes);
	}

	@Test
	void backendsDependOnNoSpringAndNoAutoConfiguration() {
		ArchRule rule = ArchRuleDefinition.noClasses()
			.that()
			.resideInAnyPackage(BACKENDS)
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..", "..supervision.actuate..", "..supervision.autoconfigure..");
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
	void supportDependsOnNothingElseOfOursAndNoSpring() {
		ArchRule rule = ArchRuleDefinition.noClasses()
			.that()
			.resideInAPackage("..supervision.support..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..", "io.github.supervision", "..supervision.actuate..",
					"..supervision.autoconfigure..", "..supervision.embedded..", "..supervision.systemd..",
					"..supervision.runit..", "..supervision.supervisord..", "..supervision.registration..",
					"..supervision.notify..");
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
