package io.github.supervision.autoconfigure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.supervision.ServiceCatalog;
import io.github.supervision.SupervisionBackend;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@link DeclaredServices}, parsed once for the backend
 * auto-configurations that run after this one, and of the {@link ServiceCatalog} from
 * them and every {@link SupervisionBackend} bean.
 *
 * @author Supervision contributors
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "supervision.enabled", matchIfMissing = true)
@EnableConfigurationProperties(SupervisionProperties.class)
public final class SupervisionAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DeclaredServices declaredServices(SupervisionProperties properties) {
		return DeclaredServices.of(properties);
	}

	@Bean
	@ConditionalOnMissingBean
	ServiceCatalog serviceCatalog(SupervisionProperties properties, DeclaredServices declared,
			ObjectProvider<SupervisionBackend> backends) {
		List<SupervisionBackend> available = backends.orderedStream().toList();
		Map<String, SupervisionBackend> byId = new LinkedHashMap<>();
		available.forEach((backend) -> byId.put(backend.id(), backend));
		return new ServiceCatalog(declared.definitions(byId), available, properties.getReadTimeout(),
				properties.getActionTimeout());
	}

	@Bean
	@ConditionalOnMissingBean
	SupervisionLifecycle supervisionLifecycle(ObjectProvider<SupervisionBackend> backends) {
		return new SupervisionLifecycle(backends);
	}

}
