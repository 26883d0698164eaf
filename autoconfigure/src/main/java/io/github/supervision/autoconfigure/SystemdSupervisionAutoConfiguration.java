package io.github.supervision.autoconfigure;

import java.io.File;
import java.time.Duration;

import io.github.supervision.systemd.SystemdBackend;
import io.github.supervision.systemd.SystemdOptions;
import io.github.supervision.systemd.dbus.EnableUnitFilesReply;
import io.github.supervision.systemd.dbus.Manager;
import io.github.supervision.systemd.dbus.UnitFileChangeEntry;
import io.github.supervision.systemd.dbus.UnitListEntry;
import org.freedesktop.dbus.errors.AccessDenied;
import org.freedesktop.dbus.errors.InvalidMethodArgument;
import org.freedesktop.dbus.errors.MatchRuleInvalid;
import org.freedesktop.dbus.errors.NoReply;
import org.freedesktop.dbus.errors.NotSupported;
import org.freedesktop.dbus.errors.PropertyReadOnly;
import org.freedesktop.dbus.errors.ServiceUnknown;
import org.freedesktop.dbus.errors.Timeout;
import org.freedesktop.dbus.errors.UnknownInterface;
import org.freedesktop.dbus.errors.UnknownMethod;
import org.freedesktop.dbus.errors.UnknownObject;
import org.freedesktop.dbus.errors.UnknownProperty;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.systemd1.BadUnitSetting;
import org.freedesktop.systemd1.JobTypeNotApplicable;
import org.freedesktop.systemd1.LoadFailed;
import org.freedesktop.systemd1.NoSuchProcess;
import org.freedesktop.systemd1.NoSuchUnit;
import org.freedesktop.systemd1.OnlyByDependency;
import org.freedesktop.systemd1.UnitInactive;
import org.freedesktop.systemd1.UnitMasked;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.util.ClassUtils;

/**
 * Auto-configuration of the {@link SystemdBackend}, when dbus-java is on the class path
 * and the backend is in use: a declared service names a unit,
 * {@code supervision.systemd.discover} is set, or {@code supervision.systemd.enabled} is
 * {@code true}. The backend connects lazily, so the application starts when no bus is
 * reachable.
 *
 * @author Supervision contributors
 */
@AutoConfiguration(after = SupervisionAutoConfiguration.class)
// A small class of dbus-java: the condition loads the class it names, and
// DBusConnection would load its whole hierarchy at every start-up
@ConditionalOnClass(name = "org.freedesktop.dbus.connections.impl.DBusConnection$DBusBusType")
@ConditionalOnBooleanProperty(name = "supervision.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "supervision.systemd.enabled", matchIfMissing = true)
@ConditionalOnSupervisionBackend(value = DeclaredServices.SYSTEMD, inUseWhenSet = "supervision.systemd.discover")
@EnableConfigurationProperties(SystemdProperties.class)
public final class SystemdSupervisionAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SystemdBackend systemdBackend(SystemdProperties properties) {
		return new SystemdBackend(options(properties), properties.getKillWhom());
	}

	private static SystemdOptions options(SystemdProperties properties) {
		requirePositive("supervision.systemd.connect-timeout", properties.getConnectTimeout());
		requirePositive("supervision.systemd.reconnect-backoff", properties.getReconnectBackoff());
		Duration maxBackoff = properties.getReconnectMaxBackoff();
		if (maxBackoff.compareTo(properties.getReconnectBackoff()) < 0) {
			throw new InvalidConfigurationPropertyValueException("supervision.systemd.reconnect-max-backoff",
					maxBackoff, "must not be shorter than supervision.systemd.reconnect-backoff");
		}
		try {
			File journal = properties.getJournalDirectory();
			return new SystemdOptions(properties.getBusAddress(), properties.getScope(), properties.getDiscover(),
					properties.getConnectTimeout(), properties.getReconnectBackoff(),
					properties.getReconnectMaxBackoff(), properties.getStatusCacheTtl(),
					(journal != null) ? journal.toPath() : null);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException("supervision.systemd.discover",
					String.join(",", properties.getDiscover()), ex.getMessage());
		}
	}

	private static void requirePositive(String key, Duration value) {
		if (value.isNegative() || value.isZero()) {
			throw new InvalidConfigurationPropertyValueException(key, value, "must be positive");
		}
	}

	/**
	 * {@link RuntimeHintsRegistrar} for what dbus-java does by reflection on the systemd
	 * backend's behalf: the JDK proxies of the bus interfaces it calls, the structs and
	 * tuple it builds from replies, the signals it builds by their constructors after
	 * finding their classes by name, and the exceptions it builds from error replies in
	 * the same way. Listed in {@code META-INF/spring/aot.factories}, not imported by the
	 * auto-configuration: the registration command opens a backend without a context.
	 */
	static class SystemdRuntimeHints implements RuntimeHintsRegistrar {

		// JournalTail looks for Jackson by name before it reads the journal
		static final String JACKSON = "tools.jackson.databind.json.JsonMapper";

		@Override
		public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
			if (!ClassUtils.isPresent("org.freedesktop.dbus.connections.impl.DBusConnection", classLoader)) {
				return;
			}
			ReflectionHints reflection = hints.reflection();
			// Manager for every call, Properties for GetAll, DBus for dbus-java's own
			// Hello
			for (Class<?> bus : new Class<?>[] { Manager.class, Properties.class, DBus.class }) {
				hints.proxies().registerJdkProxy(bus);
				reflection.registerType(bus, MemberCategory.INVOKE_PUBLIC_METHODS);
			}
			// isRemote and getObjectPath, which every proxy answers
			reflection.registerType(DBusInterface.class, MemberCategory.INVOKE_PUBLIC_METHODS);
			for (Class<?> struct : new Class<?>[] { UnitListEntry.class, UnitFileChangeEntry.class,
					EnableUnitFilesReply.class }) {
				reflection.registerType(struct, MemberCategory.ACCESS_DECLARED_FIELDS,
						MemberCategory.INVOKE_DECLARED_CONSTRUCTORS, MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS);
			}
			for (Class<?> signal : new Class<?>[] { Manager.JobRemoved.class, Manager.UnitNew.class,
					Manager.UnitRemoved.class, Manager.Reloading.class, Manager.UnitFilesChanged.class,
					Properties.PropertiesChanged.class, DBus.NameAcquired.class }) {
				reflection.registerType(signal, MemberCategory.INVOKE_DECLARED_CONSTRUCTORS);
			}
			for (Class<?> error : new Class<?>[] { DBusExecutionException.class, BadUnitSetting.class,
					JobTypeNotApplicable.class, LoadFailed.class, NoSuchProcess.class, NoSuchUnit.class,
					OnlyByDependency.class, UnitInactive.class, UnitMasked.class, AccessDenied.class,
					InvalidMethodArgument.class, MatchRuleInvalid.class, NoReply.class, NotSupported.class,
					PropertyReadOnly.class, ServiceUnknown.class, Timeout.class, UnknownInterface.class,
					UnknownMethod.class, UnknownObject.class, UnknownProperty.class }) {
				reflection.registerType(error, MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS);
			}
			reflection.registerType(TypeReference.of(JACKSON));
		}

	}

}
