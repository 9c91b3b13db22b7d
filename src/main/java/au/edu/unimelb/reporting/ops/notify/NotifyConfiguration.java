package au.edu.unimelb.reporting.ops.notify;

import au.edu.unimelb.reporting.ops.config.SecretGuard;
import au.edu.unimelb.reporting.ops.mail.MailServer;
import au.edu.unimelb.reporting.ops.security.IdentityRoles;
import au.edu.unimelb.reporting.ops.webhook.ChatWebhook;
import io.micrometer.core.instrument.MeterRegistry;
import org.camunda.bpm.engine.IdentityService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The notification channels as the settings say: the SMTP server and the chat webhook
 * when set, the outbox that sends to them, and the engine plugin that notifies incidents.
 */
@Configuration(proxyBeanMethods = false)
class NotifyConfiguration {

	private static final Logger log = LoggerFactory.getLogger(NotifyConfiguration.class);

	@Bean(destroyMethod = "close")
	Outbox notificationOutbox(NotifySettings settings, ObjectProvider<IdentityService> identity, IdentityRoles roles,
			MeterRegistry registry, SecretGuard guard) {
		NotifySettings.Mail smtp = settings.mail();
		MailServer mail = settings.mailOn() ? new MailServer(smtp.host(), smtp.port(), smtp.starttls(), smtp.username(),
				smtp.password(), smtp.from(), settings.timeout()) : null;
		ChatWebhook webhook = settings.webhookOn() ? new ChatWebhook(settings.webhookUrl(), settings.timeout()) : null;
		if (settings.on()) {
			log.info("Notifications on: e-mail {}, chat webhook {}, {} operator address(es)",
					(mail != null) ? "by " + mail : "off", (webhook != null) ? "on" : "off",
					settings.operators().size());
		}
		else {
			log.info("Notifications off (set ops.notify.mail.host or ops.notify.webhook-url)");
		}
		return new Outbox(settings, new Addresses(identity::getObject, settings.operators(), roles), mail, webhook,
				registry, guard, null);
	}

	@Bean
	static IncidentNoticesPlugin incidentNoticesPlugin(ObjectProvider<Notifications> notifications) {
		return new IncidentNoticesPlugin(notifications::getIfAvailable);
	}

}
