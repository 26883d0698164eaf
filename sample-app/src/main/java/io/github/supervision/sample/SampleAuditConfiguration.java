package io.github.supervision.sample;

import org.springframework.boot.actuate.audit.AuditEventRepository;
import org.springframework.boot.actuate.audit.InMemoryAuditEventRepository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * An audit trail for the sample: every action on a service (type {@code SERVICE_ACTION},
 * with who asked and what came of it) and every login, kept in memory and shown to the
 * {@code OPS} role at {@code /actuator/auditevents}. A real application keeps it
 * somewhere durable.
 *
 * @author Supervision contributors
 */
@Configuration(proxyBeanMethods = false)
class SampleAuditConfiguration {

	@Bean
	AuditEventRepository auditEventRepository() {
		return new InMemoryAuditEventRepository();
	}

}
