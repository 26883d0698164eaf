package io.github.supervision;

import java.time.Duration;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * Says which part of a backend carries out an action for the {@link ServiceCatalog}: its
 * own {@link SupervisionBackend#perform perform}, or the {@link ServiceCapability
 * capability} an action such as {@code enable} or {@code signal} needs, and why a backend
 * that has neither cannot.
 *
 * @author Supervision contributors
 */
final class ActionRoutes {

	private ActionRoutes() {
	}

	// The backend's own perform, or the capability that carries out the action; null
	// when the backend has neither
	static @Nullable Supplier<CompletableFuture<ActionResult>> call(SupervisionBackend backend, String target,
			ServiceAction action, @Nullable ServiceSignal signal, Duration timeout) {
		ServiceCapability<?> capability = action.capability();
		if (capability == null) {
			return backend.supportedActions().contains(action) ? () -> backend.perform(target, action, timeout) : null;
		}
		return switch (action) {
			case ENABLE,
					DISABLE ->
				backend.capability(EnableCapability.class)
					.<Supplier<CompletableFuture<ActionResult>>>map(
							(enable) -> () -> enable.enable(target, action == ServiceAction.ENABLE, timeout))
					.orElse(null);
			case RESET_FAILED -> backend.capability(ResetFailedCapability.class)
				.<Supplier<CompletableFuture<ActionResult>>>map((reset) -> () -> reset.resetFailed(target, timeout))
				.orElse(null);
			case SIGNAL -> backend.capability(SignalCapability.class)
				.<Supplier<CompletableFuture<ActionResult>>>map(
						(signals) -> () -> signals.signal(target, Objects.requireNonNull(signal), timeout))
				.orElse(null);
			default -> null;
		};
	}

	static boolean supports(SupervisionBackend backend, ServiceAction action) {
		ServiceCapability<?> capability = action.capability();
		return (capability != null) ? backend.capability(capability.type()).isPresent()
				: backend.supportedActions().contains(action);
	}

	static String unsupported(SupervisionBackend backend, ServiceAction action) {
		ServiceCapability<?> capability = action.capability();
		if (capability != null) {
			String reason = backend.unsupportedReason(capability);
			return "The " + backend.id() + " backend has no '" + action.id() + "' action"
					+ ((reason != null) ? ": " + reason : "");
		}
		StringJoiner supported = new StringJoiner(", ");
		for (ServiceAction each : ServiceAction.values()) {
			if (supports(backend, each)) {
				supported.add(each.id());
			}
		}
		return "The " + backend.id() + " backend has no '" + action.id() + "' action; it has " + supported;
	}

}
