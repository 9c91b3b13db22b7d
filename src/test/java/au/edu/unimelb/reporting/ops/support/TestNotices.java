package au.edu.unimelb.reporting.ops.support;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import au.edu.unimelb.reporting.ops.config.Secret;
import au.edu.unimelb.reporting.ops.config.SecretGuard;
import au.edu.unimelb.reporting.ops.mail.MailServer;
import au.edu.unimelb.reporting.ops.notify.Addresses;
import au.edu.unimelb.reporting.ops.notify.NoticeEvent;
import au.edu.unimelb.reporting.ops.notify.Notifications;
import au.edu.unimelb.reporting.ops.notify.NotifySettings;
import au.edu.unimelb.reporting.ops.notify.Outbox;
import au.edu.unimelb.reporting.ops.security.IdentityRoles;
import au.edu.unimelb.reporting.ops.webhook.ChatWebhook;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.camunda.bpm.engine.IdentityService;

import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.reset;

/**
 * Notifications for process tests: the real {@link Notifications} and {@link Outbox}
 * (after-commit dispatch, recipients from the test engine's identity service, retries,
 * counters), sending on the committing thread, with the two facades replaced by
 * recorders. {@link #off()} is the service with no channel set.
 */
public final class TestNotices {

	public static final String PUBLIC_URL = "https://ops.reporting.example";

	public static final String OPERATORS = "ops-team@reporting.example";

	/** A message as the mail facade was asked to send it. */
	public record Mail(List<String> to, String subject, String body) {

		/** The event's first line, as the body begins. */
		public boolean about(String text) {
			return this.subject.contains(text);
		}

	}

	public final List<Mail> mails = new CopyOnWriteArrayList<>();

	public final List<String> chats = new CopyOnWriteArrayList<>();

	public final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	public final MailServer mail = mock(MailServer.class);

	public final ChatWebhook webhook = mock(ChatWebhook.class);

	public final Notifications notifications;

	private TestNotices(IdentityService identity) {
		NotifySettings settings = new NotifySettings(PUBLIC_URL, List.of(OPERATORS),
				new NotifySettings.Mail("mail.reporting.example", 587, true, null, null, "ops@reporting.example"),
				Secret.of("https://hooks.example/services/T0/B0/secret-token-42"), 10, 2, Duration.ofMillis(1),
				Duration.ofSeconds(5));
		Outbox outbox = new Outbox(settings,
				new Addresses(() -> identity, settings.operators(), IdentityRoles.CONFIGURED), this.mail, this.webhook,
				this.registry, new SecretGuard(settings.secrets().toList()), Runnable::run);
		this.notifications = new Notifications(settings, outbox);
		record();
	}

	/** Channels on, sending at once after each commit. */
	public static TestNotices with(IdentityService identity) {
		return new TestNotices(identity);
	}

	/** As the service is with no mail host and no webhook. */
	public static Notifications off() {
		NotifySettings settings = new NotifySettings(null, List.of(),
				new NotifySettings.Mail(null, 587, true, null, null, null), null, 10, 1, Duration.ZERO,
				Duration.ofSeconds(5));
		return new Notifications(settings,
				new Outbox(settings, new Addresses(() -> null, List.of(), IdentityRoles.CONFIGURED), null, null,
						new SimpleMeterRegistry(), new SecretGuard(List.of()), Runnable::run));
	}

	/** Forgets what was sent; the mail server works again. */
	public void clear() {
		this.mails.clear();
		this.chats.clear();
		reset(this.mail, this.webhook);
		record();
	}

	/** From now on the mail server refuses every message. */
	public void mailServerDown() {
		doThrow(new org.springframework.mail.MailSendException("Connection refused: mail.reporting.example:587"))
			.when(this.mail)
			.send(anyList(), anyString(), anyString());
	}

	public double sent(String channel, NoticeEvent event) {
		return count("reporting.notifications.sent", channel, event);
	}

	public double failed(String channel, NoticeEvent event) {
		return count("reporting.notifications.failed", channel, event);
	}

	private double count(String name, String channel, NoticeEvent event) {
		var counter = this.registry.find(name).tag("channel", channel).tag("event", event.tag()).counter();
		return (counter != null) ? counter.count() : 0;
	}

	/** The mails about an event whose subject contains the text. */
	public List<Mail> about(String text) {
		return this.mails.stream().filter((mail) -> mail.about(text)).toList();
	}

	@SuppressWarnings("unchecked")
	private void record() {
		doAnswer((call) -> {
			this.mails.add(new Mail(List.copyOf((List<String>) call.getArgument(0)), call.getArgument(1),
					call.getArgument(2)));
			return null;
		}).when(this.mail).send(anyList(), anyString(), anyString());
		doAnswer((call) -> {
			this.chats.add(call.getArgument(0));
			return null;
		}).when(this.webhook).post(anyString());
	}

}
