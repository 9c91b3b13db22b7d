package au.edu.unimelb.reporting.ops.config;

import java.time.ZoneId;
import java.util.TimeZone;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Sets the JVM's default time zone to {@code ops.time-zone} before anything else starts,
 * so that every node reads cron timers and dates in the same zone whatever the machine's
 * own zone is (registered in {@code META-INF/spring.factories}).
 */
public class DefaultTimeZone implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		String zone = event.getEnvironment().getProperty("ops.time-zone");
		if (zone != null && !zone.isBlank()) {
			try {
				TimeZone.setDefault(TimeZone.getTimeZone(ZoneId.of(zone.trim())));
			}
			catch (RuntimeException ex) {
				// ServiceSettings reports the bad value with the setting's name
			}
		}
	}

}
