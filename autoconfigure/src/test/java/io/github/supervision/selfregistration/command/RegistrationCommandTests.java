package io.github.supervision.selfregistration.command;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import io.github.supervision.registration.JvmFacts;
import io.github.supervision.registration.Registration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RegistrationCommand}.
 *
 * @author Supervision contributors
 */
class RegistrationCommandTests {

	private static final JvmFacts FACTS = new JvmFacts(Path.of("/usr/bin/java"), List.of("-Xmx256m"),
			"app.jar --server.port=9000", "app.jar", Path.of("/srv/orders"));

	private final MockEnvironment environment = new MockEnvironment().withProperty("spring.application.name", "orders");

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	private final ByteArrayOutputStream err = new ByteArrayOutputStream();

	@TempDir
	Path temp;

	@Test
	void printsTheUnitByDefault() {
		assertThat(run("")).isZero();
		assertThat(out()).startsWith("### orders.service (systemd, mode 0644)\n# " + Registration.MARKER)
			.contains("Type=notify")
			.contains(
					"ExecStart=\"/usr/bin/java\" \"-Xmx256m\" \"-jar\" \"/srv/orders/app.jar\" \"--server.port=9000\"")
			.contains("WorkingDirectory=/srv/orders")
			.contains("# Dry run: nothing was installed");
	}

	@Test
	void bindsSystemdDirectivesWhateverTheCaseOfTheKeys() {
		this.environment.withProperty("supervision.registration.systemd.directives.service.restartsec", "11")
			.withProperty("supervision.registration.systemd.directives.[Service].[LimitNOFILE]", "65536")
			.withProperty("supervision.registration.systemd.directives.unit.after[0]", "network-online.target")
			.withProperty("supervision.registration.systemd.directives.unit.after[1]", "postgresql.service")
			.withProperty("supervision.registration.run-as.environment.JAVA_TOOL_OPTIONS", "-Dx=1");
		assertThat(run("print")).isZero();
		assertThat(out()).contains("RestartSec=11\n")
			.contains("LimitNOFILE=65536\n")
			.contains("After=network-online.target\nAfter=postgresql.service\n")
			.contains("### orders.env (systemd, mode 0600)\n")
			.contains("JAVA_TOOL_OPTIONS=\"-Dx=1\"\n")
			.doesNotContain("Environment=\"JAVA_TOOL_OPTIONS");
	}

	@Test
	void warnsAboutEveryOptionThatLooksLikeASecretWithoutItsValue() {
		JvmFacts facts = new JvmFacts(Path.of("/usr/bin/java"),
				List.of("-Xmx256m", "-Dspring.datasource.password=hunter2", "-Dgreeting=hello"),
				"app.jar --server.port=9000 --api.Token=s3cr3t", "app.jar", Path.of("/srv/orders"));
		this.environment.withProperty("supervision.registration.directory", this.temp.toString())
			.withProperty("supervision.registration.activation.enabled", "false");
		for (String mode : List.of("print", "install")) {
			this.out.reset();
			int status = new RegistrationCommand(this.environment, List.of("--server.port=9000", "--api.Token=s3cr3t"),
					facts, stream(this.out), stream(this.err))
				.run(mode);
			assertThat(status).isZero();
			List<String> warnings = out().lines().filter((line) -> line.startsWith("Warning: ")).toList();
			assertThat(warnings).hasSize(2);
			assertThat(warnings.get(0)).startsWith("Warning: -Dspring.datasource.password looks like a secret");
			assertThat(warnings.get(1)).startsWith("Warning: --api.Token looks like a secret");
			assertThat(warnings).allSatisfy((warning) -> assertThat(warning).doesNotContain("hunter2")
				.doesNotContain("s3cr3t")
				.contains("process list"));
		}
	}

	@Test
	void failsOnAMisspeltDirectiveBeforeAnythingIsInstalled() {
		this.environment.withProperty("supervision.registration.systemd.directives.service.restartsecs", "11")
			.withProperty("supervision.registration.directory", this.temp.toString());
		assertThat(run("install")).isEqualTo(RegistrationCommand.FAILED);
		assertThat(err()).contains("Registration failed:").contains("did you mean 'RestartSec'");
		assertThat(this.temp).isEmptyDirectory();
	}

	@Test
	void installsAndUninstallsASystemdUnitLeavingTheCommandsWhenNotActivating() throws Exception {
		this.environment.withProperty("supervision.registration.directory", this.temp.toString())
			.withProperty("supervision.registration.activation.enabled", "false")
			.withProperty("supervision.registration.start", "true");
		assertThat(run("install")).isZero();
		assertThat(out()).contains("Wrote " + this.temp.resolve("orders.service"))
			.contains("systemctl daemon-reload")
			.contains("systemctl enable --now orders.service");
		assertThat(Files.readString(this.temp.resolve("orders.service"))).contains("[Service]");
		assertThat(run("uninstall")).isZero();
		assertThat(this.temp).isEmptyDirectory();
		this.environment.withProperty("supervision.registration.run-as.environment.DB_PASSWORD", "hunter2");
		assertThat(run("install")).isZero();
		assertThat(Files.readString(this.temp.resolve("orders.service"))).doesNotContain("hunter2")
			.contains("EnvironmentFile=" + this.temp.resolve("orders.env"));
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(this.temp.resolve("orders.env"))))
			.isEqualTo("rw-------");
		assertThat(run("uninstall")).isZero();
		assertThat(this.temp).isEmptyDirectory();
	}

	@Test
	void saysWhatIsLeftWhenSystemdCannotBeReached() throws Exception {
		this.environment.withProperty("supervision.registration.directory", this.temp.toString())
			.withProperty("supervision.systemd.bus-address", "unix:path=" + this.temp.resolve("no-bus"))
			.withProperty("supervision.systemd.connect-timeout", "1s")
			.withProperty("supervision.registration.activation.timeout", "2s")
			.withProperty("supervision.registration.start", "true");
		assertThat(run("install")).isEqualTo(RegistrationCommand.FAILED);
		assertThat(err())
			.contains("Registration failed: 'orders.service': was written, but the systemd system "
					+ "manager refused or could not be reached: ")
			.contains("still to do: systemctl daemon-reload && systemctl enable --now orders.service");
		assertThat(this.temp.resolve("orders.service")).isRegularFile();
	}

	@Test
	void saysWhatIsLeftWhenSupervisordCannotBeReached() throws Exception {
		this.environment.withProperty("supervision.registration.supervisor", "supervisord")
			.withProperty("supervision.registration.directory", this.temp.toString())
			.withProperty("supervision.supervisord.url", "unix://" + this.temp.resolve("no.sock"))
			.withProperty("supervision.registration.activation.timeout", "2s");
		assertThat(run("install")).isEqualTo(RegistrationCommand.FAILED);
		assertThat(err())
			.contains("Registration failed: 'orders': the program section was written, but "
					+ "supervisord refused or could not be reached: ")
			.contains("still to do: supervisorctl update orders");
		assertThat(this.temp.resolve("orders.conf")).isRegularFile();
	}

	@Test
	void doesNotEnableAUnitThatMustNotStartAtBoot() {
		this.environment.withProperty("supervision.registration.directory", this.temp.toString())
			.withProperty("supervision.registration.activation.enabled", "false")
			.withProperty("supervision.registration.policy.autostart", "false")
			.withProperty("supervision.registration.start", "true");
		assertThat(run("install")).isZero();
		assertThat(out()).contains("systemctl start orders.service").doesNotContain("enable");
	}

	@Test
	void installsARunitServiceAndLinksIt() throws Exception {
		Path scan = Files.createDirectories(this.temp.resolve("service"));
		this.environment.withProperty("supervision.registration.supervisor", "runit")
			.withProperty("supervision.registration.directory", this.temp.resolve("sv").toString())
			.withProperty("supervision.registration.runit.scan-directory", scan.toString());
		assertThat(run("install")).isZero();
		assertThat(Files.readSymbolicLink(scan.resolve("orders"))).isEqualTo(this.temp.resolve("sv/orders"));
		assertThat(this.temp.resolve("sv/orders/run")).isExecutable();
	}

	@Test
	void linksARunitServiceIntoTheRunitBackendsScanDirectoryByDefault() throws Exception {
		Path scan = Files.createDirectories(this.temp.resolve("service"));
		this.environment.withProperty("supervision.registration.supervisor", "RUNIT")
			.withProperty("supervision.registration.directory", this.temp.resolve("sv").toString())
			.withProperty("supervision.runit.service-directory", scan.toString());
		assertThat(run("install")).isZero();
		assertThat(Files.readSymbolicLink(scan.resolve("orders"))).isEqualTo(this.temp.resolve("sv/orders"));
	}

	@Test
	void refusesPropertiesThatMovedIntoGroupsNamingTheirNewNames() {
		this.environment.withProperty("supervision.registration.user", "orders")
			.withProperty("supervision.registration.activate", "false")
			.withProperty("supervision.registration.systemd.Service.Nice", "5")
			.withProperty("supervision.registration.systemd.[Unit].[After]", "network.target")
			.withProperty("supervision.registration.systemd.notify", "false");
		assertThat(run("print")).isEqualTo(RegistrationCommand.USAGE);
		assertThat(err()).contains("'supervision.registration.user' moved to 'supervision.registration.run-as.user'")
			.contains("'supervision.registration.activate' moved to 'supervision.registration.activation.enabled'")
			.contains("'supervision.registration.systemd.service' moved to "
					+ "'supervision.registration.systemd.directives.service'")
			.contains("'supervision.registration.systemd.unit' moved to "
					+ "'supervision.registration.systemd.directives.unit'")
			.doesNotContain("systemd.notify' moved");
		assertThat(out()).isEmpty();
	}

	@Test
	void printsASupervisordProgram() {
		this.environment.withProperty("supervision.registration.supervisor", "supervisord");
		assertThat(run("print")).isZero();
		assertThat(out()).contains("[program:orders]\ncommand='/usr/bin/java'");
	}

	@Test
	void refusesToOverwriteAFileItDidNotGenerate() throws Exception {
		Files.writeString(this.temp.resolve("orders.service"), "[Service]\nExecStart=/bin/mine\n");
		this.environment.withProperty("supervision.registration.directory", this.temp.toString());
		assertThat(run("install")).isEqualTo(RegistrationCommand.FAILED);
		assertThat(err()).contains("not generated by supervision-spring-boot");
		assertThat(Files.readString(this.temp.resolve("orders.service"))).isEqualTo("[Service]\nExecStart=/bin/mine\n");
	}

	@Test
	void rejectsAnUnknownModeOrSupervisor() {
		assertThat(run("deploy")).isEqualTo(RegistrationCommand.USAGE);
		assertThat(err()).contains("Unknown registration mode 'deploy'");
		this.environment.withProperty("supervision.registration.supervisor", "upstart");
		assertThat(run("print")).isEqualTo(RegistrationCommand.USAGE);
		assertThat(err()).contains("Unknown supervisor 'upstart'");
	}

	@Test
	void needsAName() {
		MockEnvironment unnamed = new MockEnvironment();
		int status = new RegistrationCommand(unnamed, List.of(), FACTS, stream(this.out), stream(this.err))
			.run("print");
		assertThat(status).isEqualTo(RegistrationCommand.FAILED);
		assertThat(err()).contains("supervision.registration.name");
	}

	private int run(String mode) {
		return new RegistrationCommand(this.environment, List.of("--server.port=9000"), FACTS, stream(this.out),
				stream(this.err))
			.run(mode);
	}

	private String out() {
		return this.out.toString(StandardCharsets.UTF_8);
	}

	private String err() {
		return this.err.toString(StandardCharsets.UTF_8);
	}

	private static PrintStream stream(ByteArrayOutputStream bytes) {
		return new PrintStream(bytes, true, StandardCharsets.UTF_8);
	}

}
