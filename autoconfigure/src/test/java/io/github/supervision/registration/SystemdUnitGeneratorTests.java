package io.github.supervision.registration;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.github.supervision.systemd.SystemdScope;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link SystemdUnitGenerator}.
 *
 * @author Supervision contributors
 */
class SystemdUnitGeneratorTests {

	private final SystemdUnitGenerator generator = new SystemdUnitGenerator();

	@Test
	void generatesTheGoldenUnit() throws IOException {
		RegistrationSpec spec = Specs.orders()
			.user("orders", "orders")
			.environmentFile(Path.of("/etc/orders/env"))
			.sdNotify(true)
			.watchdog(Duration.ofSeconds(30))
			.build();
		Registration registration = this.generator.generate(spec);
		assertThat(registration.files()).extracting(GeneratedFile::path)
			.containsExactly("orders.service", "orders.env");
		assertThat(registration.files()).extracting(GeneratedFile::mode).containsExactly(0644, 0600);
		Golden.assertMatches("orders.service", registration.files().get(0).content());
		Golden.assertMatches("orders.env", registration.files().get(1).content());
	}

	@Test
	void usesTypeExecWithoutSdNotify() {
		UnitFile unit = this.generator.unitFile(Specs.orders().build());
		assertThat(unit.values("Service", "Type")).containsExactly("exec");
		assertThat(unit.values("Service", "SuccessExitStatus")).containsExactly("143");
		assertThat(unit.values("Service", "Restart")).containsExactly("on-failure");
		assertThat(unit.values("Service", "WatchdogSec")).isEmpty();
		assertThat(unit.values("Install", "WantedBy")).containsExactly("multi-user.target");
	}

	@Test
	void wantsAUserUnitFromTheDefaultTarget() {
		UnitFile unit = this.generator.unitFile(Specs.orders().user(null, null).scope(SystemdScope.USER).build());
		assertThat(unit.values("Install", "WantedBy")).containsExactly("default.target");
		assertThat(unit.values("Unit", "After")).isEmpty();
	}

	@Test
	void rejectsAUserForAUserManager() {
		assertThatExceptionOfType(RegistrationException.class)
			.isThrownBy(() -> this.generator.generate(Specs.orders().scope(SystemdScope.USER).build()))
			.withMessageContaining("supervision.registration.run-as.user");
	}

	@Test
	void rejectsAWatchdogWithoutSdNotify() {
		assertThatExceptionOfType(RegistrationException.class)
			.isThrownBy(() -> this.generator.generate(Specs.orders().watchdog(Duration.ofSeconds(10)).build()))
			.withMessageContaining("supervision.registration.systemd.notify");
	}

	@Test
	void replacesAddsAndRemovesDirectivesPerSection() {
		RegistrationSpec spec = Specs.orders()
			.systemdDirective("Unit", "After", List.of("network-online.target", "postgresql.service"))
			.systemdDirective("Service", "RestartSec", List.of("11"))
			.systemdDirective("Service", "ExecStartPre", List.of("/bin/true one", "/bin/true two"))
			.systemdDirective("Service", "SuccessExitStatus", List.of())
			.systemdDirective("Install", "WantedBy", List.of("graphical.target"))
			.build();
		UnitFile unit = this.generator.unitFile(spec);
		assertThat(unit.values("Unit", "After")).containsExactly("network-online.target", "postgresql.service");
		assertThat(unit.values("Service", "RestartSec")).containsExactly("11");
		assertThat(unit.values("Service", "ExecStartPre")).containsExactly("/bin/true one", "/bin/true two");
		assertThat(unit.values("Service", "SuccessExitStatus")).isEmpty();
		assertThat(unit.values("Install", "WantedBy")).containsExactly("graphical.target");
		assertThat(unit.sections().get(0).directives()).extracting(UnitFile.Directive::name)
			.containsExactly("Description", "After", "After");
	}

	@Test
	void catchesAMisspeltDirectiveAndSuggestsTheRightOne() {
		RegistrationSpec spec = Specs.orders().systemdDirective("Service", "RestartSecs", List.of("11")).build();
		assertThatExceptionOfType(RegistrationException.class).isThrownBy(() -> this.generator.generate(spec))
			.withMessageContaining("supervision.registration.systemd.directives.Service.RestartSecs")
			.withMessageContaining("did you mean 'RestartSec'");
	}

	@Test
	void catchesADirectiveInTheWrongSection() {
		RegistrationSpec spec = Specs.orders().systemdDirective("Unit", "LimitNOFILE", List.of("65536")).build();
		assertThatExceptionOfType(RegistrationException.class).isThrownBy(() -> this.generator.generate(spec))
			.withMessageContaining("no directive 'LimitNOFILE' in section [Unit]");
	}

	@Test
	void catchesALowerCaseDirectiveAsSpringWouldBindItWithoutBrackets() {
		RegistrationSpec spec = Specs.orders().systemdDirective("Service", "restartsec", List.of("11")).build();
		assertThatExceptionOfType(RegistrationException.class).isThrownBy(() -> this.generator.generate(spec))
			.withMessageContaining("did you mean 'RestartSec'");
	}

	@Test
	void catchesAnUnknownSection() {
		RegistrationSpec spec = Specs.orders().systemdDirective("Socket", "ListenStream", List.of("80")).build();
		assertThatExceptionOfType(RegistrationException.class).isThrownBy(() -> this.generator.generate(spec))
			.withMessageContaining("no section [Socket]");
	}

	@Test
	void acceptsExtensionDirectives() {
		RegistrationSpec spec = Specs.orders().systemdDirective("Unit", "X-Owner", List.of("team-a")).build();
		assertThat(this.generator.unitFile(spec).values("Unit", "X-Owner")).containsExactly("team-a");
	}

	@Test
	void rejectsAnOverrideValueThatWouldContinueOnTheNextLine() {
		RegistrationSpec spec = Specs.orders().systemdDirective("Service", "RestartSec", List.of("1\\")).build();
		assertThatExceptionOfType(RegistrationException.class).isThrownBy(() -> this.generator.generate(spec))
			.withMessageContaining("Service.RestartSec");
	}

}
