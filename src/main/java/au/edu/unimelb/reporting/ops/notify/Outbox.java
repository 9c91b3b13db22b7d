package au.edu.unimelb.reporting.ops.notify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import au.edu.unimelb.reporting.ops.config.SecretGuard;
import au.edu.unimelb.reporting.ops.mail.MailServer;
import au.edu.unimelb.reporting.ops.webhook.ChatWebhook;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends notices on threads of its own, never on the step's: one per channel, each with a
 * bounded queue (a notice that does not fit is dropped and counted, never waited for), so
 * a mail server that is down never holds back the chat message, nor the other way round;
 * on each a few tries with a growing pause, then a log line and a count. Every text
 * passes the {@link SecretGuard} first. Counters (Prometheus):
 * {@code reporting_notifications_sent_total{channel,event}},
 * {@code reporting_notifications_failed_total{channel,event}} and
 * {@code reporting_notifications_dropped_total{channel,event}}.
 */
public class Outbox implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(Outbox.class);

	static final String MAIL = "mail";

	static final String WEBHOOK = "webhook";

	private final NotifySettings settings;

	private final Addresses addresses;

	private final MailServer mail;

	private final ChatWebhook webhook;

	private final MeterRegistry registry;

	private final SecretGuard guard;

	/** Where mail goes out (the given executor, or the mail channel's own thread). */
	private final Executor mailExecutor;

	/** Where chat messages go out. */
	private final Executor webhookExecutor;

	/**
	 * The channels' own threads, stopped by {@link #close()} (empty with a given
	 * executor).
	 */
	private final List<ExecutorService> own;

	/**
	 * @param mail the SMTP server, or {@code null} when e-mail is off
	 * @param webhook the chat webhook, or {@code null} when it is off
	 * @param executor where notices are sent, or {@code null} for the outbox's own
	 * bounded one per channel
	 */
	public Outbox(NotifySettings settings, Addresses addresses, MailServer mail, ChatWebhook webhook,
			MeterRegistry registry, SecretGuard guard, Executor executor) {
		this.settings = settings;
		this.addresses = addresses;
		this.mail = mail;
		this.webhook = webhook;
		this.registry = registry;
		this.guard = guard;
		// every channel's counters exist from the start at 0: a counter made by its first
		// failure would start at 1, and increase() in the alert would never see it
		for (String channel : channels()) {
			for (NoticeEvent event : NoticeEvent.values()) {
				counter("reporting.notifications.sent", "Notifications sent", channel, event);
				counter("reporting.notifications.failed", "Notifications that could not be sent", channel, event);
				counter("reporting.notifications.dropped",
						"Notifications dropped because the channel's queue was full (or the service stopping)", channel,
						event);
			}
		}
		if (executor != null) {
			this.own = List.of();
			this.mailExecutor = executor;
			this.webhookExecutor = executor;
		}
		else {
			ExecutorService mailThread = channelThread(MAIL, settings.queueCapacity());
			ExecutorService webhookThread = channelThread(WEBHOOK, settings.queueCapacity());
			this.own = List.of(mailThread, webhookThread);
			this.mailExecutor = mailThread;
			this.webhookExecutor = webhookThread;
		}
	}

	private static ExecutorService channelThread(String channel, int capacity) {
		return new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(capacity),
				(runnable) -> {
					Thread thread = new Thread(runnable, "notify-" + channel);
					thread.setDaemon(true);
					return thread;
				}, new ThreadPoolExecutor.AbortPolicy());
	}

	private List<String> channels() {
		List<String> on = new ArrayList<>();
		if (this.mail != null) {
			on.add(MAIL);
		}
		if (this.webhook != null) {
			on.add(WEBHOOK);
		}
		return on;
	}

	private Counter counter(String name, String description, String channel, NoticeEvent event) {
		return Counter.builder(name)
			.description(description)
			.tag("channel", channel)
			.tag("event", event.tag())
			.register(this.registry);
	}

	/** Whether any channel is on. */
	public boolean on() {
		return this.mail != null || this.webhook != null;
	}

	/** Queues a notice on each channel that is on; never blocks, never throws. */
	public void submit(Notice notice) {
		if (this.mail != null) {
			submit(this.mailExecutor, new Delivery(notice, MAIL));
		}
		if (this.webhook != null) {
			submit(this.webhookExecutor, new Delivery(notice, WEBHOOK));
		}
	}

	private void submit(Executor executor, Delivery delivery) {
		try {
			executor.execute(delivery);
		}
		catch (RejectedExecutionException ex) {
			boolean stopping = (executor instanceof ExecutorService service) && service.isShutdown();
			dropped(delivery, stopping ? "the service stops" : "queue full");
		}
	}

	private void dropped(Delivery delivery, String why) {
		Counter.builder("reporting.notifications.dropped")
			.description("Notifications dropped because the channel's queue was full (or the service stopping)")
			.tag("channel", delivery.channel)
			.tag("event", delivery.notice.event().tag())
			.register(this.registry)
			.increment();
		log.warn("Notification by {} dropped ({}): {}", delivery.channel, why, scrub(delivery.notice.subject()));
	}

	/**
	 * One notice to send by one channel: what a channel's queue holds, so that one left
	 * at shutdown is known.
	 */
	private final class Delivery implements Runnable {

		private final Notice notice;

		private final String channel;

		Delivery(Notice notice, String channel) {
			this.notice = notice;
			this.channel = channel;
		}

		@Override
		public void run() {
			if (MAIL.equals(this.channel)) {
				deliverMail(this.notice);
			}
			else {
				deliverChat(this.notice);
			}
		}

	}

	/**
	 * The configured secrets masked, and what looks like a credential that is not
	 * configured (a program's or a remote's error message quoting a URL with a password,
	 * {@code password=...}) too: incident messages carry whatever a failing step threw.
	 */
	String scrub(String text) {
		if (text == null) {
			return null;
		}
		String masked = this.guard.mask(text);
		masked = URL_PASSWORD.matcher(masked).replaceAll("$1******@");
		return KEY_VALUE_SECRET.matcher(masked).replaceAll("$1******");
	}

	/** {@code scheme://user:password@}: the password. */
	private static final Pattern URL_PASSWORD = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://[^\\s/:@]*:)[^\\s/@]+@");

	/** {@code password=x}, {@code token: x}, {@code X-Auth-Token: x}: the value. */
	private static final Pattern KEY_VALUE_SECRET = Pattern.compile(
			"(?i)\\b((?:[a-z_-]*)(?:password|passwd|passphrase|secret|token|api[_-]?key)\\s*[=:]\\s*)[^\\s,;&\"']+");

	/** Sends a notice by every channel that is on, on the caller's thread (tests). */
	void deliver(Notice notice) {
		if (this.mail != null) {
			deliverMail(notice);
		}
		if (this.webhook != null) {
			deliverChat(notice);
		}
	}

	private void deliverMail(Notice notice) {
		String subject = scrub(notice.subject());
		String body = scrub(notice.body());
		List<String> to = recipients(notice);
		if (to == null) {
			return;
		}
		if (to.isEmpty()) {
			log.info("Notification '{}' has no e-mail recipient ({} have no address)", subject, notice.to());
			return;
		}
		// a try that reached some recipients is repeated for the others only
		AtomicReference<List<String>> left = new AtomicReference<>(to);
		tryTimes(MAIL, notice, () -> {
			try {
				this.mail.send(left.get(), subject, body);
			}
			catch (MailServer.NotSentTo ex) {
				left.set(ex.addresses());
				throw ex;
			}
		});
	}

	private void deliverChat(Notice notice) {
		String text = scrub(notice.chatText());
		tryTimes(WEBHOOK, notice, () -> this.webhook.post(text));
	}

	/**
	 * The notice's addresses, tried as often as a send: the directory (in ldap mode) may
	 * be down for a moment, and a UAT mail lost to that would leave the testers waiting
	 * for nothing.
	 * @return the addresses, or {@code null} when they could not be looked up (counted as
	 * failed)
	 */
	private List<String> recipients(Notice notice) {
		Duration pause = this.settings.backoff();
		for (int attempt = 1;; attempt++) {
			try {
				return this.addresses.of(notice.to());
			}
			catch (RuntimeException ex) {
				if (attempt >= this.settings.attempts() || !pause(pause)) {
					failed(MAIL, notice,
							"the recipients (" + notice.to() + ") could not be looked up after " + attempt + " tries",
							ex);
					return null;
				}
				log.debug("The recipients of a notification could not be looked up (try {}), trying again in {}",
						attempt, pause);
				pause = pause.multipliedBy(2);
			}
		}
	}

	private void tryTimes(String channel, Notice notice, Runnable send) {
		Duration pause = this.settings.backoff();
		for (int attempt = 1;; attempt++) {
			try {
				send.run();
				Counter.builder("reporting.notifications.sent")
					.description("Notifications sent")
					.tag("channel", channel)
					.tag("event", notice.event().tag())
					.register(this.registry)
					.increment();
				log.info("Notification sent by {}: {}", channel, scrub(notice.subject()));
				return;
			}
			catch (RuntimeException ex) {
				if (attempt >= this.settings.attempts() || !pause(pause)) {
					failed(channel, notice, "not sent after " + attempt + " tries", ex);
					return;
				}
				log.debug("Notification by {} failed (try {}), trying again in {}", channel, attempt, pause);
				pause = pause.multipliedBy(2);
			}
		}
	}

	private void failed(String channel, Notice notice, String why, RuntimeException ex) {
		Counter.builder("reporting.notifications.failed")
			.description("Notifications that could not be sent")
			.tag("channel", channel)
			.tag("event", notice.event().tag())
			.register(this.registry)
			.increment();
		log.warn("Notification '{}' by {}: {}: {}", scrub(notice.subject()), channel, why, scrub(ex.toString()));
	}

	private static boolean pause(Duration pause) {
		try {
			Thread.sleep(pause.toMillis());
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/** Lets what is queued go out for a few seconds, then stops. */
	@Override
	public void close() {
		this.own.forEach(ExecutorService::shutdown);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		for (ExecutorService channel : this.own) {
			try {
				if (!channel.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
					droppedAtStop(channel.shutdownNow());
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				droppedAtStop(channel.shutdownNow());
			}
		}
	}

	/** Each notice still queued at the stop is logged and counted, not lost silently. */
	private void droppedAtStop(List<Runnable> left) {
		for (Runnable runnable : left) {
			if (runnable instanceof Delivery delivery) {
				dropped(delivery, "the service stops");
			}
		}
	}

}
