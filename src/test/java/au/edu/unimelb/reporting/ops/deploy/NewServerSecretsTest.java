package au.edu.unimelb.reporting.ops.deploy;

import java.time.Instant;

import au.edu.unimelb.reporting.ops.compute.ServerConsole;
import au.edu.unimelb.reporting.ops.lock.Locks;
import au.edu.unimelb.reporting.ops.ssh.SshCommands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * A new server's identity comes from the host keys its console showed: waited for until
 * the deadline, refused when ambiguous, never read for something that is not a server id.
 */
class NewServerSecretsTest {

	final ServerConsole console = mock(ServerConsole.class);

	final NewServerSecrets servers = new NewServerSecrets(
			new DeployEnvironments(DeployServiceTest.environments(2), mock(Locks.class)), this.console,
			mock(SshCommands.class));

	@Test
	void waitsForTheHostKeysOnTheConsoleUntilTheDeadline() {
		String key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIL2JMN0SPp+YdEiV7d/YOjtI1w67KdgHSt+lpl/CkAUr";
		when(this.console.output("qa", "0b5c-42")).thenReturn("booting\n",
				"-----BEGIN SSH HOST KEY KEYS-----\n" + key + " root@x\n-----END SSH HOST KEY KEYS-----\n");
		assertThat(this.servers.readHostKeys("qa", "reporting_qa_7", "0b5c-42", Instant.now().plusSeconds(60)))
			.isEqualTo(Check.PENDING);
		assertThat(this.servers.readHostKeys("qa", "reporting_qa_7", "0b5c-42", Instant.now().plusSeconds(60)).value())
			.isEqualTo(key);
		when(this.console.output("qa", "0b5c-43")).thenReturn("booting\n");
		assertThat(this.servers.readHostKeys("qa", "reporting_qa_8", "0b5c-43", Instant.now().minusSeconds(1)).reason())
			.contains("showed no SSH host keys");
	}

	@Test
	void failsAtTheDeadlineSayingTheConsolesKeyBlocksAreAmbiguous() {
		String key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIL2JMN0SPp+YdEiV7d/YOjtI1w67KdgHSt+lpl/CkAUr";
		String other = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGtQvvTVnM8s/28SzpXDQ2cAjRUu1l2klPwNNEGLq8/i";
		when(this.console.output("qa", "0b5c-44"))
			.thenReturn("-----BEGIN SSH HOST KEY KEYS-----\n" + key + "\n-----END SSH HOST KEY KEYS-----\n"
					+ "-----BEGIN SSH HOST KEY KEYS-----\n" + other + "\n-----END SSH HOST KEY KEYS-----\n");
		assertThat(this.servers.readHostKeys("qa", "reporting_qa_9", "0b5c-44", Instant.now().plusSeconds(60)))
			.as("waits: the deadline ends it")
			.isEqualTo(Check.PENDING);
		Check failed = this.servers.readHostKeys("qa", "reporting_qa_9", "0b5c-44", Instant.now().minusSeconds(1));
		assertThat(failed.state()).isEqualTo(DeployReplaceProcess.FAILED);
		assertThat(failed.reason()).contains("showed SSH host key blocks that are ambiguous")
			.contains("two different KEYS blocks")
			.contains("given no secret");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "arn:openstack:heat::p/stacks/x/1", "../servers/x" })
	void readsNoConsoleForSomethingThatIsNotAServerId(String serverId) {
		assertThat(this.servers.readHostKeys("qa", "reporting_qa_7", serverId, Instant.now().plusSeconds(60)).state())
			.isEqualTo(DeployReplaceProcess.FAILED);
		verify(this.console, never()).output(anyString(), anyString());
	}

}
