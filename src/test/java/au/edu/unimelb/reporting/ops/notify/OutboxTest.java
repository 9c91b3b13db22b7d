package au.edu.unimelb.reporting.ops.notify;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import au.edu.unimelb.reporting.ops.config.Secret;
import au.edu.unimelb.reporting.ops.config.SecretGuard;
import au.edu.unimelb.reporting.ops.mail.MailServer;
import au.edu.unimelb.reporting.ops.security.IdentityRoles;
import au.edu.unimelb.reporting.ops.support.ThreadDumpOnTimeout;
import au.edu.unimelb.reporting.ops.webhook.ChatWebhook;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;

/**
 * The outbox on its own thread: what it sends is scrubbed of configured secrets and of
 * credentials nobody configured (a URL's password, {@code password=} in a program's
 * output), and what is still queued when the service stops is counted as dropped, not
 * lost silently.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(ThreadDumpOnTimeout.class)
class OutboxTest {

	static final String OPERATORS = "ops-team@reporting.example";

	final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	final MailServer mail = mock(MailServer.class);

	final ChatWebhook webhook = mock(ChatWebhook.class);

	private Outbox outbox(int capacity) {
		return outbox(capacity, null);
	}

	private Outbox outbox(int capacity, ChatWebhook chat) {
		NotifySettings settings = new NotifySettings(
				"https://ops.reporting.example", List.of(OPERATORS), new NotifySettings.Mail("mail.reporting.example",
						587, true, "ops", Secret.of("smtp-secret-9"), "ops@reporting.example"),
				null, capacity, 1, Duration.ZERO, Duration.ofSeconds(5));
		return new Outbox(settings, new Addresses(() -> null, settings.operators(), IdentityRoles.CONFIGURED),
				this.mail, chat, this.registry, new SecretGuard(settings.secrets().toList()), null);
	}

	@Test
	void aMailServerThatHangsHoldsNoChatMessageBack() throws Exception {
		CountDownLatch sending = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		doAnswer((call) -> {
			sending.countDown();
			release.await(1, TimeUnit.MINUTES);
			return null;
		}).when(this.mail).send(anyList(), anyString(), anyString());
		List<String> posted = new CopyOnWriteArrayList<>();
		doAnswer((call) -> posted.add(call.getArgument(0))).when(this.webhook).post(anyString());
		Outbox outbox = outbox(10, this.webhook);
		try {
			for (int i = 0; i < 3; i++) {
				outbox.submit(Notice.of(NoticeEvent.PROD_DEPLOYED, "Prod deployed " + i).to(Recipients.operators()));
			}
			assertThat(sending.await(30, TimeUnit.SECONDS)).isTrue();
			Awaitility.await()
				.atMost(Duration.ofSeconds(30))
				.untilAsserted(
						() -> assertThat(posted).as("every chat message, while the first mail hangs").hasSize(3));
		}
		finally {
			release.countDown();
			outbox.close();
		}
	}

	@Test
	void everyCounterOfAChannelThatIsOnStartsAtZeroSoTheFirstFailureIsAnIncrease() {
		outbox(10);
		assertThat(this.registry.get("reporting.notifications.failed")
			.tag("channel", "mail")
			.tag("event", "incident")
			.counter()
			.count()).isZero();
		assertThat(this.registry.find("reporting.notifications.sent").tag("channel", "webhook").counters())
			.as("the webhook is off")
			.isEmpty();
	}

	@Test
	void scrubsConfiguredSecretsAndCredentialsNobodyConfigured() {
		Outbox outbox = outbox(10);
		assertThat(outbox.scrub("login smtp-secret-9 refused")).isEqualTo("login ****** refused");
		assertThat(outbox.scrub("GET https://deployer:s3cr3t-pw@keystone.example:5000/v3 failed"))
			.isEqualTo("GET https://deployer:******@keystone.example:5000/v3 failed");
		assertThat(outbox.scrub("pg_dump: postgresql://reporting:hunter2@db/reporting: refused"))
			.isEqualTo("pg_dump: postgresql://reporting:******@db/reporting: refused");
		assertThat(outbox.scrub("ssh: PGPASSWORD=hunter2 psql; X-Auth-Token: gAAAAABk; api_key=abc"))
			.isEqualTo("ssh: PGPASSWORD=****** psql; X-Auth-Token: ******; api_key=******");
		assertThat(outbox.scrub("Open the task: https://ops.reporting.example/camunda/app/tasklist/default/#/?task=1"))
			.as("links stay as they are")
			.isEqualTo("Open the task: https://ops.reporting.example/camunda/app/tasklist/default/#/?task=1");
	}

	@Test
	void noticesStillQueuedAtTheStopAreCountedAsDropped() throws Exception {
		CountDownLatch sending = new CountDownLatch(1);
		doAnswer((call) -> {
			sending.countDown();
			try {
				Thread.sleep(Duration.ofMinutes(5).toMillis());
			}
			catch (InterruptedException stopped) {
				// the stop interrupts the send: a server that never answered; rethrown,
				// it surfaced in whichever test ran next
				Thread.currentThread().interrupt();
			}
			return null;
		}).when(this.mail).send(anyList(), anyString(), anyString());
		Outbox outbox = outbox(10);
		for (int i = 0; i < 3; i++) {
			outbox.submit(Notice.of(NoticeEvent.PROD_DEPLOYED, "Prod deployed " + i).to(Recipients.operators()));
		}
		assertThat(sending.await(30, TimeUnit.SECONDS)).isTrue();

		outbox.close();

		assertThat(this.registry.find("reporting.notifications.dropped")
			.tag("channel", "mail")
			.tag("event", "prod_deployed")
			.counter()
			.count()).as("the two that waited behind the one being sent").isEqualTo(2);
		outbox.submit(Notice.of(NoticeEvent.INCIDENT, "after the stop").to(Recipients.operators()));
		assertThat(this.registry.find("reporting.notifications.dropped")
			.tag("channel", "mail")
			.tag("event", "incident")
			.counter()
			.count()).isEqualTo(1);
	}

}
