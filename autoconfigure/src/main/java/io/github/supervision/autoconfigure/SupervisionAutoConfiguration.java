package io.github.supervision.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.supervision.ServiceCatalog;
import io.github.supervision.SupervisionBackend;
import io.github.supervision.support.DaemonThreadFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@link DeclaredServices}, parsed once for the backend
 * auto-configurations that run after this one, and of the {@link ServiceCatalog} from
 * them and every {@link SupervisionBackend} bean, and of the {@link SupervisionLifecycle}
 * that starts the backends.
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
	SupervisionLifecycle supervisionLifecycle(ObjectProvider<SupervisionBackend> backends, DeclaredServices declared) {
		return new SupervisionLifecycle(backends, declared);
	}

	/**
	 * Starts every {@link SupervisionBackend} once the application context has started
	 * (the embedded backend then starts its autostart services). A backend with declared
	 * services, or one that discovers, starts on the calling thread; an idle one (nothing
	 * declared, no discovery: its start only opens its watch or connection ahead of use)
	 * starts on a thread of its own, off the application's start-up path. Backends are
	 * closed with the context, as the {@link AutoCloseable} beans they are.
	 */
	public static class SupervisionLifecycle implements SmartLifecycle {

		private final ObjectProvider<SupervisionBackend> backends;

		private final DeclaredServices declared;

		private volatile boolean running;

		SupervisionLifecycle(ObjectProvider<SupervisionBackend> backends, DeclaredServices declared) {
			this.backends = backends;
			this.declared = declared;
		}

		@Override
		public void start() {
			List<SupervisionBackend> idle = new ArrayList<>();
			this.backends.orderedStream().forEach((backend) -> {
				if (backend.isDiscovering() || !this.declared.forBackend(backend.id()).isEmpty()) {
					backend.start();
				}
				else {
					idle.add(backend);
				}
			});
			if (!idle.isEmpty()) {
				new DaemonThreadFactory("supervision-idle-start-")
					.newThread(() -> idle.forEach(SupervisionBackend::start))
					.start();
			}
			this.running = true;
		}

		@Override
		public void stop() {
			this.running = false;
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

	}

}
