package au.edu.unimelb.reporting.ops.notify;

import java.time.Duration;
import java.util.List;

import au.edu.unimelb.reporting.ops.config.Secret;
import au.edu.unimelb.reporting.ops.config.SecretGuard;
import au.edu.unimelb.reporting.ops.mail.MailServer;
import au.edu.unimelb.reporting.ops.security.IdentityRoles;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.identity.UserQuery;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.RETURNS_SELF;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The testers' addresses come from the identity service, which in ldap mode is the
 * directory: a directory that is down for a moment when UAT begins delays the mail, it
 * does not lose it; one that stays down past the tries counts the mail as failed.
 */
class OutboxRecipientsTest {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final MailServer mail = mock(MailServer.class);

	private final IdentityService identity = mock(IdentityService.class);

	@Test
	void aDirectoryDownForAMomentDelaysTheUatMailAndDoesNotLoseIt() {
		UserQuery query = testers();
		when(this.identity.createUserQuery()).thenThrow(new IllegalStateException("The user directory is unreachable"))
			.thenThrow(new IllegalStateException("The user directory is unreachable"))
			.thenReturn(query);
		outbox(3).deliver(uatWaiting());
		verify(this.mail).send(eq(List.of("tom@example.org")), eq("UAT: build 1"), anyString());
		assertThat(this.registry.find("reporting.notifications.failed").counters())
			.as("registered at 0 from the start, none counted")
			.isNotEmpty()
			.allSatisfy((counter) -> assertThat(counter.count()).isZero());
	}

	@Test
	void aDirectoryDownThroughEveryTryCountsTheMailAsFailed() {
		when(this.identity.createUserQuery()).thenThrow(new IllegalStateException("The user directory is unreachable"));
		outbox(3).deliver(uatWaiting());
		verify(this.identity, times(3)).createUserQuery();
		verify(this.mail, never()).send(anyList(), anyString(), anyString());
		assertThat(this.registry.get("reporting.notifications.failed")
			.tag("channel", "mail")
			.tag("event", "uat_waiting")
			.counter()
			.count()).isOne();
	}

	private UserQuery testers() {
		UserQuery query = mock(UserQuery.class, RETURNS_SELF);
		User tom = mock(User.class);
		when(tom.getId()).thenReturn("tom");
		when(tom.getEmail()).thenReturn("tom@example.org");
		when(query.list()).thenReturn(List.of(tom));
		return query;
	}

	private static Notice uatWaiting() {
		return Notice.of(NoticeEvent.UAT_WAITING, "UAT: build 1").to(Recipients.testersBut("tess"));
	}

	private Outbox outbox(int attempts) {
		NotifySettings settings = new NotifySettings("https://ops.reporting.example", List.of(),
				new NotifySettings.Mail("mail.reporting.example", 587, true, null, null, "ops@reporting.example"), null,
				10, attempts, Duration.ofMillis(1), Duration.ofSeconds(5));
		return new Outbox(settings, new Addresses(() -> this.identity, List.of(), IdentityRoles.CONFIGURED), this.mail,
				null, this.registry, new SecretGuard(List.<Secret>of()), Runnable::run);
	}

}
