package io.github.supervision;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Lists the {@link ServiceCatalog}'s services: every declared one under its declared
 * name, each backend read once for all its declared targets (all backends at the same
 * time, through {@link BackendReads}), then those the backends discover under their
 * targets. A declared service whose backend is missing or does not answer in time is
 * {@code UNKNOWN} with the reason.
 *
 * @author Supervision contributors
 */
final class CatalogListing {

	private final Map<ServiceName, ServiceDefinition> definitions;

	private final Map<String, SupervisionBackend> backends;

	private final BackendReads reads;

	private final Map<String, List<String>> declaredTargets;

	/**
	 * Create the listing of a catalog.
	 * @param definitions the declared services, in declaration order
	 * @param backends the backends, keyed by id
	 * @param reads the reads of the backends
	 */
	CatalogListing(Map<ServiceName, ServiceDefinition> definitions, Map<String, SupervisionBackend> backends,
			BackendReads reads) {
		this.definitions = definitions;
		this.backends = backends;
		this.reads = reads;
		Map<String, List<String>> targets = new LinkedHashMap<>();
		definitions.values()
			.forEach((definition) -> targets.computeIfAbsent(definition.backend(), (id) -> new ArrayList<>())
				.add(definition.target()));
		targets.replaceAll((id, list) -> list.stream().distinct().toList());
		// The backend with the most services is read last, on the calling thread: the
		// others are read meanwhile on the executor
		Map<String, List<String>> bySize = new LinkedHashMap<>();
		targets.entrySet()
			.stream()
			.sorted(Map.Entry.comparingByValue(Comparator.comparingInt(List::size)))
			.forEach((entry) -> bySize.put(entry.getKey(), entry.getValue()));
		this.declaredTargets = Collections.unmodifiableMap(bySize);
	}

	/**
	 * Return the status of every declared service, and then of every discovered one.
	 * @param includeDiscovered whether to ask the discovering backends too
	 * @return the statuses, declared services first in declaration order
	 */
	List<ServiceStatus> list(boolean includeDiscovered) {
		List<Runnable> inline = new ArrayList<>(1);
		Map<String, CompletableFuture<Map<String, ServiceStatus>>> declared = new LinkedHashMap<>();
		this.declaredTargets.forEach((id, targets) -> declared.put(id, this.reads.status(id, targets, true, inline)));
		Map<String, CompletableFuture<List<ServiceStatus>>> discovered = new LinkedHashMap<>();
		this.backends.forEach((id, backend) -> {
			if (includeDiscovered && backend.isDiscovering()) {
				discovered.put(id, this.reads.discover(backend, inline));
			}
		});
		// The last task runs on the calling thread: a request that reads one backend
		// costs no thread hand-off, which on a loaded machine is worth more than the call
		// itself.
		if (!inline.isEmpty()) {
			inline.get(0).run();
		}
		Map<String, Map<String, ServiceStatus>> declaredStatus = new LinkedHashMap<>();
		declared.forEach((id, future) -> declaredStatus.put(id, this.reads.await(future, Map.of())));
		List<ServiceStatus> result = new ArrayList<>(this.definitions.size());
		for (ServiceDefinition definition : this.definitions.values()) {
			ServiceStatus status = declaredStatus.getOrDefault(definition.backend(), Map.of()).get(definition.target());
			result.add((status != null) ? status.withName(definition.name().value()) : missing(definition));
		}
		Set<String> names = new HashSet<>();
		this.definitions.keySet().forEach((name) -> names.add(name.value()));
		discovered.forEach((id, future) -> {
			Set<String> declaredTargets = new HashSet<>(this.declaredTargets.getOrDefault(id, List.of()));
			for (ServiceStatus status : this.reads.await(future, List.<ServiceStatus>of())) {
				if (!declaredTargets.contains(status.target()) && ServiceName.isValid(status.target())
						&& names.add(status.target())) {
					result.add(status.withName(status.target()));
				}
			}
		});
		return result;
	}

	/**
	 * Return the status of one declared service, its backend asked for it alone.
	 * @param definition the service's definition
	 * @return the status, named by the declared name
	 */
	ServiceStatus status(ServiceDefinition definition) {
		List<Runnable> inline = new ArrayList<>(1);
		CompletableFuture<Map<String, ServiceStatus>> future = this.reads.status(definition.backend(),
				List.of(definition.target()), false, inline);
		inline.forEach(Runnable::run);
		ServiceStatus status = this.reads.await(future, Map.of()).get(definition.target());
		return (status != null) ? status.withName(definition.name().value()) : missing(definition);
	}

	private ServiceStatus missing(ServiceDefinition definition) {
		SupervisionBackend backend = this.backends.get(definition.backend());
		String reason = (backend != null) ? "The " + definition.backend() + " backend did not answer in time"
				: noBackend(definition);
		return ServiceStatus.unknown(definition.name().value(), definition.backend(), definition.target(), reason);
	}

	/**
	 * Say that a declared service's backend is missing.
	 * @param definition the service's definition
	 * @return the reason, with what to check
	 */
	static String noBackend(ServiceDefinition definition) {
		return "No '" + definition.backend() + "' backend is available; check that it is enabled and that its "
				+ "library is on the classpath";
	}

}
