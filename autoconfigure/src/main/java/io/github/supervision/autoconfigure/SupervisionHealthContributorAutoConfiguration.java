package io.github.supervision.autoconfigure;

import io.github.supervision.ServiceCatalog;
import io.github.supervision.actuate.SupervisionHealthContributor;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@link SupervisionHealthContributor} (health contributor
 * {@code supervision}, with one member per declared service).
 *
 * @author Supervision contributors
 */
@AutoConfiguration(after = SupervisionAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(ServiceCatalog.class)
@ConditionalOnEnabledHealthIndicator("supervision")
public final class SupervisionHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "supervisionHealthContributor")
	SupervisionHealthContributor supervisionHealthContributor(ServiceCatalog catalog) {
		return new SupervisionHealthContributor(catalog);
	}

}
