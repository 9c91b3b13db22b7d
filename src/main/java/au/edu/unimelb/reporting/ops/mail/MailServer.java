package au.edu.unimelb.reporting.ops.mail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import au.edu.unimelb.reporting.ops.config.Secret;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

import org.springframework.mail.MailException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * The one way the service sends e-mail: plain-text messages over SMTP ({@code MAIL FROM},
 * {@code RCPT TO}, {@code DATA}) through Spring's {@link JavaMailSenderImpl}, with
 * STARTTLS when asked (then required, never silently skipped), a login when a user name
 * is set, and a timeout on connecting, reading and writing. The password is read only
 * here, when the session logs in.
 * <p>
 * One message per recipient, over one connection: a tester never sees the other testers'
 * addresses, and an address the server refuses does not stop the others. A text that goes
 * into a header (the subject, an address) is never more than one line.
 */
public final class MailServer {

	private final JavaMailSenderImpl sender;

	private final String from;

	/**
	 * @param host the SMTP server
	 * @param port its port (587 for submission with STARTTLS)
	 * @param starttls whether the connection must be upgraded to TLS before anything is
	 * sent
	 * @param username the login, or {@code null} for none
	 * @param password its password, or {@code null}
	 * @param from the sender address
	 * @param timeout the limit of connecting, and of each read and write
	 */
	public MailServer(String host, int port, boolean starttls, String username, Secret password, String from,
			Duration timeout) {
		this.sender = new JavaMailSenderImpl();
		this.sender.setHost(host);
		this.sender.setPort(port);
		this.sender.setDefaultEncoding("UTF-8");
		Properties properties = new Properties();
		String millis = Long.toString(timeout.toMillis());
		properties.setProperty("mail.smtp.connectiontimeout", millis);
		properties.setProperty("mail.smtp.timeout", millis);
		properties.setProperty("mail.smtp.writetimeout", millis);
		properties.setProperty("mail.smtp.starttls.enable", Boolean.toString(starttls));
		properties.setProperty("mail.smtp.starttls.required", Boolean.toString(starttls));
		if (username != null && !username.isBlank()) {
			this.sender.setUsername(username);
			this.sender.setPassword((password != null) ? password.reveal() : null);
			properties.setProperty("mail.smtp.auth", "true");
		}
		this.sender.setJavaMailProperties(properties);
		this.from = from;
	}

	/**
	 * Sends the plain-text message to each address, one message each (its own address
	 * alone in {@code To}). An address that is not one plain address (a second one after
	 * a comma, a line break, a display name) is not sent to and counts as not sent.
	 * @throws NotSentTo when some addresses were not sent to (the others were)
	 * @throws MailException when the server cannot be reached (nothing was sent)
	 */
	public void send(List<String> to, String subject, String text) {
		String oneLine = oneLine(subject);
		Set<String> refused = new LinkedHashSet<>();
		List<SimpleMailMessage> messages = new ArrayList<>();
		for (String address : new LinkedHashSet<>(to)) {
			if (!isPlainAddress(address)) {
				refused.add(address);
				continue;
			}
			SimpleMailMessage message = new SimpleMailMessage();
			message.setFrom(this.from);
			message.setTo(address);
			message.setSubject(oneLine);
			message.setText(text);
			messages.add(message);
		}
		if (!messages.isEmpty()) {
			try {
				this.sender.send(messages.toArray(SimpleMailMessage[]::new));
			}
			catch (MailSendException ex) {
				// its message lists every failed message with its text: only the cause is
				// kept
				Map<Object, Exception> failed = ex.getFailedMessages();
				Exception cause = failed.isEmpty() ? ex : failed.values().iterator().next();
				if (failed.isEmpty() || (failed.size() >= messages.size() && refused.isEmpty())) {
					throw new MailSendException("Not sent: " + cause, cause);
				}
				for (Object message : failed.keySet()) {
					if (message instanceof SimpleMailMessage simple && simple.getTo() != null) {
						refused.addAll(List.of(simple.getTo()));
					}
					else {
						throw new MailSendException("Not sent: " + cause, cause);
					}
				}
			}
		}
		if (!refused.isEmpty()) {
			throw new NotSentTo(List.copyOf(refused), to.size());
		}
	}

	/**
	 * @return whether the text is exactly one plain e-mail address (no display name, no
	 * second address, no line break)
	 */
	public static boolean isPlainAddress(String address) {
		if (address == null || address.isBlank() || address.chars().anyMatch(Character::isISOControl)) {
			return false;
		}
		try {
			InternetAddress[] parsed = InternetAddress.parse(address, true);
			if (parsed.length != 1) {
				return false;
			}
			parsed[0].validate();
			return parsed[0].getPersonal() == null && parsed[0].getAddress().equals(address.strip());
		}
		catch (AddressException ex) {
			return false;
		}
	}

	/** The text with every line break and control character made a space. */
	static String oneLine(String text) {
		return (text != null) ? text.replaceAll("[\\p{Cntrl}\\u2028\\u2029\\u0085]+", " ").strip() : null;
	}

	/** Some of a message's recipients did not get it; the others did. */
	public static final class NotSentTo extends MailSendException {

		private final List<String> addresses;

		NotSentTo(List<String> addresses, int of) {
			super("Not sent to " + addresses.size() + " of " + of + " address(es): " + addresses);
			this.addresses = addresses;
		}

		/** The addresses to try again. */
		public List<String> addresses() {
			return this.addresses;
		}

	}

	@Override
	public String toString() {
		return "smtp://" + this.sender.getHost() + ":" + this.sender.getPort();
	}

}
