package au.edu.unimelb.reporting.ops.mail;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import au.edu.unimelb.reporting.ops.support.LoopbackSshd;
import au.edu.unimelb.reporting.ops.support.ThreadDumpOnTimeout;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.mail.MailException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The mail facade against a real SMTP server (GreenMail, in this JVM on loopback): one
 * message per recipient (no tester sees another's address), an address from the directory
 * that would inject a header or a second recipient is not sent to and does not stop the
 * others, a subject with a line break stays one header, and a server that takes the
 * connection and never answers fails the send within its timeout.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(ThreadDumpOnTimeout.class)
class MailServerTest {

	GreenMail smtp;

	MailServer mail;

	@BeforeEach
	void start() throws Exception {
		this.smtp = new GreenMail(new ServerSetup(LoopbackSshd.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
		this.smtp.start();
		this.mail = new MailServer("127.0.0.1", this.smtp.getSmtp().getPort(), false, null, null,
				"reporting-ops@reporting.test", Duration.ofSeconds(5));
	}

	@AfterEach
	void stop() {
		this.smtp.stop();
	}

	@Test
	void eachRecipientGetsAMessageOfTheirOwn() throws Exception {
		this.mail.send(List.of("tess@reporting.test", "tom@reporting.test"), "UAT: build 1 waits", "Open the task");

		MimeMessage[] received = this.smtp.getReceivedMessages();
		assertThat(received).hasSize(2);
		List<String> tos = new ArrayList<>();
		for (MimeMessage message : received) {
			assertThat(message.getRecipients(Message.RecipientType.TO)).as("only their own address").hasSize(1);
			assertThat(message.getRecipients(Message.RecipientType.CC)).isNull();
			tos.add(message.getRecipients(Message.RecipientType.TO)[0].toString());
		}
		assertThat(tos).containsExactlyInAnyOrder("tess@reporting.test", "tom@reporting.test");
	}

	@Test
	void anAddressThatWouldInjectIsNotSentToAndTheOthersStillAre() throws Exception {
		List<String> to = List.of("tess@reporting.test", "eve@reporting.test\r\nBcc: spy@elsewhere.test",
				"eve@reporting.test, spy@elsewhere.test", "Eve <spy@elsewhere.test>", "tom@reporting.test");

		assertThatThrownBy(() -> this.mail.send(to, "UAT: build 1 waits", "Open the task"))
			.isInstanceOfSatisfying(MailServer.NotSentTo.class, (ex) -> assertThat(ex.addresses()).hasSize(3));

		assertThat(this.smtp.getReceivedMessagesForDomain("elsewhere.test")).isEmpty();
		assertThat(this.smtp.getReceivedMessages()).hasSize(2);
	}

	@Test
	void aSubjectWithALineBreakStaysOneHeader() throws Exception {
		this.mail.send(List.of("tess@reporting.test"),
				"Rejected: build 1\r\nBcc: spy@elsewhere.test\r\n\r\nforged body", "text");

		assertThat(this.smtp.getReceivedMessagesForDomain("elsewhere.test")).isEmpty();
		MimeMessage message = this.smtp.getReceivedMessages()[0];
		assertThat(message.getHeader("Bcc")).isNull();
		assertThat(message.getSubject()).isEqualTo("Rejected: build 1 Bcc: spy@elsewhere.test forged body");
		assertThat(message.getContent().toString().strip()).isEqualTo("text");
	}

	@Test
	void aServerThatNeverAnswersFailsTheSendWithinItsTimeout() throws Exception {
		try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
			List<Socket> held = new ArrayList<>();
			Thread acceptor = new Thread(() -> {
				try {
					while (true) {
						held.add(silent.accept());
					}
				}
				catch (java.io.IOException ex) {
					// closed
				}
			}, "silent-smtp");
			acceptor.setDaemon(true);
			acceptor.start();
			MailServer hanging = new MailServer("127.0.0.1", silent.getLocalPort(), false, null, null,
					"reporting-ops@reporting.test", Duration.ofSeconds(1));

			assertThatThrownBy(() -> hanging.send(List.of("tess@reporting.test"), "subject", "text"))
				.isInstanceOf(MailException.class)
				.hasMessageNotContaining("text=");
		}
	}

	@Test
	void tellsAPlainAddress() {
		assertThat(MailServer.isPlainAddress("tess@reporting.test")).isTrue();
		assertThat(MailServer.isPlainAddress("tess@reporting.test\n")).isFalse();
		assertThat(MailServer.isPlainAddress("a@x.test,b@y.test")).isFalse();
		assertThat(MailServer.isPlainAddress("Tess <tess@reporting.test>")).isFalse();
		assertThat(MailServer.isPlainAddress("tess")).isFalse();
		assertThat(MailServer.isPlainAddress("")).isFalse();
	}

}
