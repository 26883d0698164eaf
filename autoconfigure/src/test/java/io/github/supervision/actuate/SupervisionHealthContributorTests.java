package io.github.supervision.actuate;

import java.time.Duration;
import java.util.List;

import io.github.supervision.ServiceCatalog;
import io.github.supervision.ServiceDefinition;
import io.github.supervision.ServiceName;
import io.github.supervision.ServiceState;
import io.github.supervision.testsupport.RecordingBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SupervisionHealthContributor}.
 *
 * @author Supervision contributors
 */
class SupervisionHealthContributorTests {

	private final RecordingBackend backend = new RecordingBackend("fake");

	private final ServiceCatalog catalog = new ServiceCatalog(
			List.of(new ServiceDefinition(ServiceName.of("web"), "fake", "web", null, false, null),
					new ServiceDefinition(ServiceName.of("db"), "fake", "db", null, true, null),
					new ServiceDefinition(ServiceName.of("cache"), "fake", "cache", null, false, null)),
			List.of(this.backend), Duration.ofSeconds(1), Duration.ofSeconds(1));

	private final SupervisionHealthContributor contributor = new SupervisionHealthContributor(this.catalog);

	@AfterEach
	void close() {
		this.catalog.close();
	}

	@Test
	void hasOneMemberPerDeclaredServiceInDeclarationOrder() {
		assertThat(this.contributor.stream().map(HealthContributors.Entry::name)).containsExactly("web", "db", "cache");
		assertThat(this.contributor.getContributor("nginx")).isNull();
	}

	@Test
	void onlyACriticalServiceThatDoesNotRunIsDown() {
		this.backend.setState(ServiceState.FAILED);
		assertThat(health("db").getStatus()).isEqualTo(Status.DOWN);
		assertThat(health("web").getStatus()).isEqualTo(Status.UP);
		assertThat(health("web").getDetails()).containsEntry("state", "failed").containsEntry("critical", false);
	}

	@Test
	void theMembersOfOneHealthCheckShareOneReadOfTheCatalog() {
		checkEveryMember();
		assertThat(this.backend.calls()).containsExactly("status[web, db, cache]");
		checkEveryMember();
		assertThat(this.backend.calls()).containsExactly("status[web, db, cache]", "status[web, db, cache]");
	}

	@Test
	void oneMemberReadsOnlyItsService() {
		health("db");
		assertThat(this.backend.calls()).containsExactly("status[db]");
	}

	private void checkEveryMember() {
		this.contributor.stream()
			.forEach((entry) -> assertThat(((HealthIndicator) entry.contributor()).health(true)).isNotNull());
	}

	private org.springframework.boot.health.contributor.Health health(String name) {
		return ((HealthIndicator) this.contributor.getContributor(name)).health(true);
	}

}
