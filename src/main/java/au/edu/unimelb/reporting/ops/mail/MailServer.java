package au.edu.unimelb.reporting.ops.mail;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import au.edu.unimelb.reporting.ops.config.Secret;

import org.springframework.mail.MailException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * The one way the service sends e-mail: plain-text messages over SMTP ({@code MAIL FROM},
 * {@code RCPT TO}, {@code DATA}) through Spring's {@link JavaMailSenderImpl}, with
 * STARTTLS when asked (then required, never silently skipped), a login when a user name
 * is set, and a timeout on connecting, reading and writing. The password is read only
 * here, when the session logs in.
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
	 * Sends one plain-text message to the given addresses (all in {@code To}).
	 * @throws MailException when the server cannot be reached or refuses the message
	 */
	public void send(List<String> to, String subject, String text) {
		SimpleMailMessage message = new SimpleMailMessage();
		message.setFrom(this.from);
		message.setTo(to.toArray(String[]::new));
		message.setSubject(subject);
		message.setText(text);
		this.sender.send(message);
	}

	@Override
	public String toString() {
		return "smtp://" + this.sender.getHost() + ":" + this.sender.getPort();
	}

}
