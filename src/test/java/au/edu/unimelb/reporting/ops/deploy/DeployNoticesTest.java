package au.edu.unimelb.reporting.ops.deploy;

import au.edu.unimelb.reporting.ops.engine.RunEnd;
import au.edu.unimelb.reporting.ops.support.TestNotices;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * A notice that cannot be built never fails the step that tells: the end listener of a
 * deploy whose notice needs a look-up the step's user may not make (an operator who
 * cancels in Cockpit without read permission on the definition) still ends the run.
 */
class DeployNoticesTest {

	@Test
	void aNoticeThatCannotBeBuiltIsLoggedNotThrown() {
		TestNotices notices = TestNotices.with(null);
		DelegateExecution execution = mock(DelegateExecution.class);
		when(execution.getProcessEngineServices())
			.thenThrow(new AuthorizationException("cora", "READ", "ProcessDefinition", "deploy-replace"));

		assertThatCode(() -> new DeployNotices(notices.notifications).runEnded(execution, "prod", RunEnd.of(execution)))
			.doesNotThrowAnyException();
		assertThat(notices.mails).isEmpty();
	}

}
