package au.edu.unimelb.reporting.ops.engine;

import java.util.Map;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * How a run ended, from its two variables: what every process's end listener records.
 */
class RunEndTest {

	@Test
	void aRunThatReachedAnEndEventEndedWithItsOutcomeAndReason() {
		RunEnd end = RunEnd.of(execution("DEPLOYED", null));
		assertThat(end.finished()).isTrue();
		assertThat(end.outcome()).isEqualTo("DEPLOYED");
		assertThat(end.detail()).isNull();

		RunEnd failed = RunEnd.of(execution("FAILED", "Stack is CREATE_FAILED"));
		assertThat(failed.outcome()).isEqualTo("FAILED");
		assertThat(failed.detail()).isEqualTo("Stack is CREATE_FAILED");
	}

	@Test
	void aRunStoppedBeforeAnyEndEventWasCancelled() {
		RunEnd end = RunEnd.of(execution(null, null));
		assertThat(end.finished()).isFalse();
		assertThat(end.outcome()).isEqualTo("CANCELLED");
		assertThat(end.detail()).isEqualTo("cancelled before it finished");
	}

	@Test
	void aRunThatRecordedWhyItFailedEndedFailedWhereverItStopped() {
		RunEnd end = RunEnd.of(execution(null, "pg_restore failed: exit 1"));
		assertThat(end.outcome()).isEqualTo("FAILED");
		assertThat(end.detail()).isEqualTo("pg_restore failed: exit 1");
	}

	@Test
	void theDetailIsTheReasonElseWhatTheFeatureGivesElseTheCancellation() {
		assertThat(RunEnd.of(execution("RELEASED", null)).detail("Approved by tom")).isEqualTo("Approved by tom");
		assertThat(RunEnd.of(execution("FAILED", "Deploy failed")).detail("Approved by tom"))
			.isEqualTo("Deploy failed");
		assertThat(RunEnd.of(execution(null, null)).detail("Approved by tom")).isEqualTo("Approved by tom");
		assertThat(RunEnd.of(execution(null, null)).detail(null)).isEqualTo("cancelled before it finished");
	}

	@Test
	void anEndEventSetsTheOutcomeItStandsFor() {
		DelegateExecution execution = mock(DelegateExecution.class);
		when(execution.getCurrentActivityId()).thenReturn("EndEvent_Deployed");
		RunEnd.reached(execution, Map.of("EndEvent_Deployed", "DEPLOYED"));
		verify(execution).setVariable("outcome", "DEPLOYED");
	}

	@Test
	void anEndEventWithoutAnOutcomeIsAMistakeInTheModelOrItsConstants() {
		DelegateExecution execution = mock(DelegateExecution.class);
		when(execution.getCurrentActivityId()).thenReturn("EndEvent_Other");
		when(execution.getProcessDefinitionId()).thenReturn("deploy-replace:1:7");
		assertThatThrownBy(() -> RunEnd.reached(execution, Map.of("EndEvent_Deployed", "DEPLOYED")))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("EndEvent_Other");
	}

	private static DelegateExecution execution(String outcome, String failureReason) {
		DelegateExecution execution = mock(DelegateExecution.class);
		when(execution.getVariable("outcome")).thenReturn(outcome);
		when(execution.getVariable("failureReason")).thenReturn(failureReason);
		return execution;
	}

}
