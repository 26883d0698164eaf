package io.github.supervision.notify.boot;

import java.util.concurrent.atomic.AtomicLong;

import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Counts the beans initialized so far, so that more start-up time is asked for only while
 * start-up is still making progress.
 *
 * @author Supervision contributors
 */
public class NotifyStartupProgress implements BeanPostProcessor {

	private final AtomicLong initialized = new AtomicLong();

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		this.initialized.incrementAndGet();
		return bean;
	}

	/**
	 * Return how many beans were initialized so far.
	 * @return the count
	 */
	public long getInitialized() {
		return this.initialized.get();
	}

}
