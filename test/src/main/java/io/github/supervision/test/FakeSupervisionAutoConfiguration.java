package io.github.supervision.test;

import io.github.supervision.autoconfigure.DeclaredServices;
import io.github.supervision.autoconfigure.SupervisionAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@link FakeSupervision} and of one
 * {@link FakeSupervisionBackend} for each built-in backend, imported by
 * {@link AutoConfigureSupervisionTest} only (it is not listed for ordinary
 * auto-configuration).
 *
 * @author Supervision contributors
 */
@AutoConfiguration(after = SupervisionAutoConfiguration.class)
@ConditionalOnBean(DeclaredServices.class)
public final class FakeSupervisionAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	FakeSupervision fakeSupervision(DeclaredServices declaredServices) {
		return new FakeSupervision(declaredServices, FakeSupervision.BUILT_IN_BACKENDS);
	}

	@Bean
	FakeSupervisionBackend fakeSystemdBackend(FakeSupervision supervision) {
		return supervision.backend("systemd");
	}

	@Bean
	FakeSupervisionBackend fakeRunitBackend(FakeSupervision supervision) {
		return supervision.backend("runit");
	}

	@Bean
	FakeSupervisionBackend fakeSupervisordBackend(FakeSupervision supervision) {
		return supervision.backend("supervisord");
	}

	@Bean
	FakeSupervisionBackend fakeEmbeddedBackend(FakeSupervision supervision) {
		return supervision.backend("embedded");
	}

}
