package au.edu.unimelb.reporting.ops.security;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.rest.security.auth.ProcessEngineAuthenticationFilter;
import org.camunda.bpm.engine.rest.security.auth.impl.HttpBasicAuthenticationProvider;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * HTTP basic authentication, against the engine's users, for the REST API; the metrics
 * take the scrape's own login too ({@link MetricsScrapeFilter}). The authenticated user
 * is handed to the engine, which checks its authorizations on every call. Cockpit and
 * Tasklist have their own login form; the health endpoint stays open for load balancers
 * and probes, and shows operators who log in why an outside system is DOWN.
 */
@Configuration(proxyBeanMethods = false)
class RestSecurityConfiguration {

	@Bean
	FilterRegistrationBean<ProcessEngineAuthenticationFilter> restAuthentication() {
		FilterRegistrationBean<ProcessEngineAuthenticationFilter> registration = basicAuthentication();
		registration.setName("ops-rest-authentication");
		registration.addUrlPatterns("/engine-rest/*");
		return registration;
	}

	@Bean
	FilterRegistrationBean<ProcessEngineAuthenticationFilter> serviceApiAuthentication() {
		FilterRegistrationBean<ProcessEngineAuthenticationFilter> registration = basicAuthentication();
		registration.setName("ops-api-authentication");
		registration.addUrlPatterns("/api/*", "/actuator/info");
		// The actuator runs in Spring's dispatcher servlet (mapped to "/"), so the whole
		// path is the servlet path;
		// an empty prefix makes the filter see "/actuator/..." and authenticate it,
		// instead of whitelisting "/".
		registration.addInitParameter(ProcessEngineAuthenticationFilter.SERVLET_PATH_PREFIX, "");
		return registration;
	}

	/**
	 * The metrics, for the scrape's own login or any engine user's
	 * ({@link MetricsScrapeFilter}).
	 */
	@Bean
	FilterRegistrationBean<MetricsScrapeFilter> metricsAuthentication(MetricsScrapeSettings settings,
			ObjectProvider<ProcessEngine> engine) {
		FilterRegistrationBean<MetricsScrapeFilter> registration = new FilterRegistrationBean<>(
				new MetricsScrapeFilter(settings, () -> engine.getObject().getIdentityService()));
		registration.setName("ops-metrics-authentication");
		registration.addUrlPatterns("/actuator/prometheus", "/actuator/prometheus/*");
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
		return registration;
	}

	/**
	 * The details of {@code /actuator/health/dependencies} (why Heat, Swift or a web
	 * front is DOWN) for operators who log in; the statuses for anyone.
	 */
	@Bean
	FilterRegistrationBean<OperatorHealthDetailsFilter> operatorHealthDetails(ObjectProvider<ProcessEngine> engine,
			IdentityRoles roles) {
		FilterRegistrationBean<OperatorHealthDetailsFilter> registration = new FilterRegistrationBean<>(
				new OperatorHealthDetailsFilter(() -> engine.getObject().getIdentityService(), roles));
		registration.setName("ops-health-details");
		registration.addUrlPatterns("/actuator/health/dependencies", "/actuator/health/dependencies/*");
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
		return registration;
	}

	/**
	 * Outside the authentication filters: a login that the directory could not check is
	 * answered with 503 and why.
	 */
	@Bean
	FilterRegistrationBean<DirectoryUnavailableFilter> directoryUnavailable() {
		FilterRegistrationBean<DirectoryUnavailableFilter> registration = new FilterRegistrationBean<>(
				new DirectoryUnavailableFilter());
		registration.setName("ops-directory-unavailable");
		registration.addUrlPatterns("/*");
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
		return registration;
	}

	private static FilterRegistrationBean<ProcessEngineAuthenticationFilter> basicAuthentication() {
		FilterRegistrationBean<ProcessEngineAuthenticationFilter> registration = new FilterRegistrationBean<>(
				new ProcessEngineAuthenticationFilter());
		registration.addInitParameter(ProcessEngineAuthenticationFilter.AUTHENTICATION_PROVIDER_PARAM,
				HttpBasicAuthenticationProvider.class.getName());
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
		return registration;
	}

}
