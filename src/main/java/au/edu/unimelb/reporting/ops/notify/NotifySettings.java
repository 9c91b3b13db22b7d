package au.edu.unimelb.reporting.ops.notify;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

import au.edu.unimelb.reporting.ops.config.HasSecrets;
import au.edu.unimelb.reporting.ops.config.NotBlankSecret;
import au.edu.unimelb.reporting.ops.config.Secret;
import au.edu.unimelb.reporting.ops.config.SecureUrls;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Notifications by e-mail and to a chat webhook ({@code ops.notify.*}): off until a mail
 * host or a webhook URL is set. Sent after the engine's transaction commits, from a
 * bounded queue; a mail server or webhook that is down never fails or blocks a step.
 *
 * @param publicUrl the service as people reach it (its Tasklist and Cockpit), for the
 * links in messages, for example {@code https://ops.reporting.example}; required when
 * notifications are on
 * @param operators the addresses that get what operators act on: Prod deploys, rollbacks,
 * incidents, failed backup nights and QA restores
 * @param mail the SMTP server; no host: no e-mail
 * @param webhookUrl a chat channel's incoming webhook (Slack, Teams: a JSON body with a
 * {@code text} field), a secret since the URL carries the channel's token (environment or
 * file only); https unless loopback; none: no chat messages
 * @param queueCapacity how many messages may wait to be sent, per channel (e-mail and the
 * chat webhook each have a queue and a thread); one more is dropped (and counted), never
 * waited for
 * @param attempts how often a message is tried per channel before it counts as failed
 * @param backoff the wait after the first failed try, doubled after each further one
 * @param timeout the limit of each try (connecting, and each read and write)
 */
@Validated
@ConfigurationProperties("ops.notify")
public record NotifySettings(@Pattern(regexp = PUBLIC_URL,
		message = "must be an http(s) URL of the service (scheme, host, port, path) without a trailing slash") String publicUrl,
		@DefaultValue List<@NotBlank @Email String> operators, @DefaultValue @Valid @NotNull Mail mail,
		@NotBlankSecret Secret webhookUrl, @DefaultValue("200") @Min(1) @Max(10000) int queueCapacity,
		@DefaultValue("3") @Min(1) @Max(10) int attempts, @DefaultValue("PT2S") @NotNull Duration backoff,
		@DefaultValue("PT10S") @NotNull Duration timeout) implements HasSecrets {

	/**
	 * What the links in messages start with: scheme, host, optional port and path; no
	 * user, query or fragment, which would turn a Tasklist link into a link elsewhere.
	 */
	static final String PUBLIC_URL = "https?://[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?"
			+ "(/[A-Za-z0-9._~%!$&'()*+,;=:@-]+)*";

	/** A host name, an IPv4 or an IPv6 address; nothing else (no port, no spaces). */
	static final String HOST = "|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*\\]?";

	/** Whether e-mail is on: a mail host is set. */
	public boolean mailOn() {
		return this.mail != null && this.mail.host() != null && !this.mail.host().isBlank();
	}

	/** Whether chat messages are on: a webhook URL is set. */
	public boolean webhookOn() {
		return this.webhookUrl != null;
	}

	/** Whether any channel is on. */
	public boolean on() {
		return mailOn() || webhookOn();
	}

	@AssertTrue(message = "must be set when notifications are on (ops.notify.mail.host or ops.notify.webhook-url): "
			+ "messages link to Tasklist and Cockpit")
	boolean isPublicUrl() {
		return !on() || this.publicUrl != null;
	}

	@AssertTrue(message = "must be an https URL with a host (http only for a loopback host)")
	boolean isWebhookUrl() {
		if (this.webhookUrl == null || this.webhookUrl.isBlank()) {
			return true;
		}
		String url = this.webhookUrl.reveal();
		try {
			// a URL that does not parse would fail every post, at each try
			return SecureUrls.allows(url) && new URI(url).getHost() != null;
		}
		catch (URISyntaxException ex) {
			return false;
		}
	}

	/** The longest the pauses between one message's tries may add up to. */
	static final Duration RETRY_WINDOW = Duration.ofMinutes(15);

	/**
	 * A channel tries one message at a time, on its one thread: pauses that add up to
	 * hours (10 tries from 10 minutes, doubling, are 85 hours) would hold every later
	 * message in the queue until it drops them.
	 */
	@AssertTrue(message = "must be between 0 and 10 minutes, and the pauses of all ops.notify.attempts "
			+ "(doubling) at most 15 minutes in all")
	boolean isBackoff() {
		if (this.backoff == null) {
			return true;
		}
		if (this.backoff.isNegative() || this.backoff.compareTo(Duration.ofMinutes(10)) > 0) {
			return false;
		}
		long pauses = (1L << Math.max(0, Math.min(this.attempts, 20) - 1)) - 1;
		return this.backoff.multipliedBy(pauses).compareTo(RETRY_WINDOW) <= 0;
	}

	@AssertTrue(message = "must be between 1 second and 2 minutes")
	boolean isTimeout() {
		return this.timeout == null || (this.timeout.compareTo(Duration.ofSeconds(1)) >= 0
				&& this.timeout.compareTo(Duration.ofMinutes(2)) <= 0);
	}

	@Override
	public Stream<Secret> secrets() {
		return Stream.of((this.mail != null) ? this.mail.password() : null, this.webhookUrl).filter(Objects::nonNull);
	}

	/**
	 * The SMTP server ({@code ops.notify.mail.*}).
	 *
	 * @param host the SMTP server's host name; none: no e-mail
	 * @param port the SMTP server's port (587: submission with STARTTLS)
	 * @param starttls whether the connection must be upgraded to TLS before anything is
	 * sent (refused when the server cannot); off only for a relay on this machine
	 * @param username the login; none: no login
	 * @param password the login's password (environment or file only)
	 * @param from the sender address
	 */
	public record Mail(@Pattern(regexp = HOST, message = "must be a host name or an IP address") String host,
			@DefaultValue("587") @Min(1) @Max(65535) int port, @DefaultValue("true") boolean starttls, String username,
			@NotBlankSecret Secret password, @Email String from) {

		/**
		 * A plain SMTP connection carries the login and every message readable on the
		 * network: only a relay on this machine may go without STARTTLS.
		 */
		@AssertTrue(message = "must be set when ops.notify.mail.host is")
		boolean isFrom() {
			return this.host == null || this.host.isBlank() || (this.from != null && !this.from.isBlank());
		}

		@AssertTrue(message = "must be true unless the mail host is a loopback address (127.0.0.1, ::1, localhost)")
		boolean isStarttls() {
			return this.starttls || this.host == null || this.host.isBlank() || SecureUrls.isLoopback("smtp://"
					+ (this.host.contains(":") && !this.host.startsWith("[") ? "[" + this.host + "]" : this.host));
		}

	}

}
