package io.github.supervision.selfregistration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.github.supervision.actuate.ServicesEndpoint;
import io.github.supervision.actuate.ServicesEndpoint.RegistrationDescriptor;
import io.github.supervision.autoconfigure.SupervisionAutoConfiguration;
import io.github.supervision.autoconfigure.SupervisionEndpointAutoConfiguration;
import io.github.supervision.registration.JvmFacts;
import io.github.supervision.registration.Registration;
import io.github.supervision.registration.Supervisor;
import io.github.supervision.registration.SupervisorDetection.Supervised;
import io.github.supervision.testsupport.RecordingBackend;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RegistrationReport}: the running application compares the definition
 * it would generate with the installed one, without showing values.
 *
 * @author Supervision contributors
 */
class RegistrationReportTests {

	private static final JvmFacts FACTS = new JvmFacts(Path.of("/usr/bin/java"), List.of("-Xmx256m"),
			"app.jar --server.port=9000", "app.jar", Path.of("/srv/orders"));

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SupervisionAutoConfiguration.class,
				SupervisionEndpointAutoConfiguration.class, EndpointAutoConfiguration.class))
		.withUserConfiguration(BackendConfiguration.class)
		.withPropertyValues("management.endpoints.web.exposure.include=services", "spring.application.name=orders");

	@TempDir
	Path temp;

	private final MockEnvironment environment = new MockEnvironment().withProperty("spring.application.name", "orders");

	@Test
	void reportsADefinitionThatIsNotInstalled() {
		RegistrationDescriptor report = report(Optional.empty());
		assertThat(report.supervisor()).isEqualTo("systemd");
		assertThat(report.detected()).isFalse();
		assertThat(report.name()).isEqualTo("orders");
		assertThat(report.definition()).isEqualTo(this.temp.resolve("orders.service").toString());
		assertThat(report.registered()).isFalse();
		assertThat(report.upToDate()).isFalse();
		assertThat(report.differences()).containsExactly("orders.service: not installed");
	}

	@Test
	void reportsAnInstalledDefinitionUpToDateUntilItIsEditedWithoutShowingValues() throws Exception {
		this.environment.withProperty("supervision.registration.activation.enabled", "false");
		install();
		assertThat(report(Optional.of(new Supervised(Supervisor.SYSTEMD, "orders"))))
			.satisfies((report) -> assertThat(report.detected()).isTrue())
			.satisfies((report) -> assertThat(report.registered()).isTrue())
			.satisfies((report) -> assertThat(report.upToDate()).isTrue())
			.satisfies((report) -> assertThat(report.message()).isNull());
		Path unit = this.temp.resolve("orders.service");
		Files.writeString(unit, Files.readString(unit).replace("Restart=on-failure", "Environment=SECRET=hunter2"));
		RegistrationDescriptor edited = report(Optional.of(new Supervised(Supervisor.SYSTEMD, "orders")));
		assertThat(edited.registered()).isTrue();
		assertThat(edited.upToDate()).isFalse();
		assertThat(edited.differences()).singleElement()
			.asString()
			.matches("orders.service: line \\d+ \\(Restart\\) differs")
			.doesNotContain("hunter2");
	}

	@Test
	void readsTheInstalledFilesAgainOnlyAfterTheCachePeriod() throws Exception {
		this.environment.withProperty("supervision.registration.activation.enabled", "false");
		install();
		this.environment.setProperty("supervision.registration.directory", this.temp.toString());
		RegistrationReport report = new RegistrationReport(this.environment, List.of("--server.port=9000"), FACTS,
				Optional.of(new Supervised(Supervisor.SYSTEMD, "orders")));
		long started = System.nanoTime();
		RegistrationDescriptor first = report.get();
		assertThat(first.upToDate()).isTrue();
		Files.delete(this.temp.resolve("orders.service"));
		RegistrationDescriptor second = report.get();
		if (System.nanoTime() - started < RegistrationReport.CACHE_PERIOD.toNanos()) {
			assertThat(second).isSameAs(first);
		}
		Awaitility.await()
			.atMost(RegistrationReport.CACHE_PERIOD.multipliedBy(5))
			.untilAsserted(
					() -> assertThat(report.get().differences()).containsExactly("orders.service: not installed"));
	}

	@Test
	void aFileAnEarlierInstallGeneratedMakesTheReportNotUpToDate() throws Exception {
		Path scan = Files.createDirectories(this.temp.resolve("service"));
		this.environment.withProperty("supervision.registration.supervisor", "runit")
			.withProperty("supervision.registration.runit.scan-directory", scan.toString())
			.withProperty("supervision.registration.policy.autostart", "false");
		install();
		assertThat(this.temp.resolve("orders/down")).exists();
		this.environment.setProperty("supervision.registration.policy.autostart", "true");
		RegistrationDescriptor report = report(Optional.of(new Supervised(Supervisor.RUNIT, "orders")));
		assertThat(report.registered()).isTrue();
		assertThat(report.upToDate()).isFalse();
		assertThat(report.differences()).containsExactly("orders/down: installed but no longer generated");
		install();
		assertThat(this.temp.resolve("orders/down")).doesNotExist();
		assertThat(report(Optional.of(new Supervised(Supervisor.RUNIT, "orders"))).upToDate()).isTrue();
	}

	@Test
	void saysAnEnvironmentFileDiffersWithoutShowingAnyOfItsLines() throws Exception {
		this.environment.withProperty("supervision.registration.activation.enabled", "false")
			.withProperty("supervision.registration.run-as.environment.DB_PASSWORD", "hunter2");
		install();
		Path file = this.temp.resolve("orders.env");
		Files.writeString(file, Files.readString(file).replace("hunter2", "hunter3"));
		assertThat(report(Optional.of(new Supervised(Supervisor.SYSTEMD, "orders"))).differences())
			.containsExactly("orders.env: differs");
	}

	@Test
	void saysWhenTheSupervisorRunsTheApplicationUnderAnotherName() {
		RegistrationDescriptor report = report(Optional.of(new Supervised(Supervisor.SUPERVISORD, "legacy")));
		assertThat(report.supervisor()).isEqualTo("supervisord");
		assertThat(report.name()).isEqualTo("legacy");
		assertThat(report.message())
			.isEqualTo("supervisord runs the application as 'legacy', but its registration " + "is named 'orders'");
	}

	@Test
	void saysWhyNoDefinitionCanBeGenerated() {
		this.environment.setProperty("spring.application.name", "");
		RegistrationDescriptor report = report(Optional.empty());
		assertThat(report.registered()).isFalse();
		assertThat(report.definition()).isNull();
		assertThat(report.message())
			.startsWith("The registration cannot be generated: 'supervision.registration.name'");
	}

	@Test
	void endpointListsTheRegistration() {
		this.contextRunner
			.run((context) -> assertThat(context.getBean(ServicesEndpoint.class).services().registration()).isNotNull()
				.satisfies((report) -> assertThat(report.name()).isEqualTo("orders")));
	}

	@Test
	void endpointLeavesTheRegistrationOutWhenNotReported() {
		this.contextRunner.withPropertyValues("supervision.registration.report=false")
			.run((context) -> assertThat(context.getBean(ServicesEndpoint.class).services().registration()).isNull());
	}

	private RegistrationDescriptor report(Optional<Supervised> detected) {
		this.environment.setProperty("supervision.registration.directory", this.temp.toString());
		return new RegistrationReport(this.environment, List.of("--server.port=9000"), FACTS, detected).get();
	}

	// What an install writes, without telling a supervisor
	private void install() {
		this.environment.setProperty("supervision.registration.directory", this.temp.toString());
		SelfRegistration self = new SelfRegistration(SelfRegistration.bind(this.environment), this.environment,
				List.of("--server.port=9000"), FACTS);
		Registration registration = self.generator().generate(self.spec());
		self.files().write(registration);
		self.files().removeStale(registration);
	}

	@Configuration(proxyBeanMethods = false)
	static class BackendConfiguration {

		@Bean
		RecordingBackend recordingBackend() {
			return new RecordingBackend("fake");
		}

	}

}
