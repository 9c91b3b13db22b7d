package au.edu.unimelb.reporting.ops.deploy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import au.edu.unimelb.reporting.ops.heat.HeatStacks;
import au.edu.unimelb.reporting.ops.heat.StackRef;
import au.edu.unimelb.reporting.ops.heat.StackState;
import au.edu.unimelb.reporting.ops.heat.StackStatus;
import au.edu.unimelb.reporting.ops.lock.Locks;
import org.junit.jupiter.api.Test;

import static au.edu.unimelb.reporting.ops.deploy.DeployServiceTest.stack;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * Retiring old stacks after a switch: what {@link StackRetention} lets go is deleted, and
 * a delete that failed is reported and issued again.
 */
class StackRetirementTest {

	final HeatStacks heat = mock(HeatStacks.class);

	final DeploymentRecords records = mock(DeploymentRecords.class);

	final StackRetirement retirement = new StackRetirement(
			new DeployEnvironments(DeployServiceTest.environments(2), mock(Locks.class)), this.heat, this.records);

	@Test
	void retiresAllButTheNewestKeptPreviousAndEveryFailedStack() {
		// keep-previous = 2: of the ones that served, keep 8 and 6 (served last); retire
		// 5
		// and 2; retire failed 9 and 3. (StackRetentionTest has the rule's tables.)
		Instant t = Instant.parse("2026-11-01T00:00:00Z");
		when(this.records.servedHistory("qa")).thenReturn(List.of(new StackRetention.Served("reporting_qa_2", false, t),
				new StackRetention.Served("reporting_qa_5", false, t.plusSeconds(60)),
				new StackRetention.Served("reporting_qa_6", false, t.plusSeconds(120)),
				new StackRetention.Served("reporting_qa_8", false, t.plusSeconds(180))));
		when(this.records.recordedStacks("qa")).thenReturn(java.util.Set.of("reporting_qa_2", "reporting_qa_3",
				"reporting_qa_5", "reporting_qa_6", "reporting_qa_8", "reporting_qa_9"));
		when(this.heat.listNumbered("qa", "reporting_qa_")).thenReturn(List.of(stack(2, StackStatus.CREATE_COMPLETE),
				stack(3, StackStatus.CREATE_FAILED), stack(5, StackStatus.CREATE_COMPLETE),
				stack(6, StackStatus.CREATE_COMPLETE), stack(8, StackStatus.UPDATE_COMPLETE),
				stack(9, StackStatus.DELETE_FAILED), stack(10, StackStatus.CREATE_COMPLETE)));

		List<StackRef> retired = this.retirement.retireOldStacks("qa", "reporting_qa_10");

		assertThat(retired).extracting(StackRef::name)
			.containsExactlyInAnyOrder("reporting_qa_9", "reporting_qa_5", "reporting_qa_3", "reporting_qa_2");
		retired.forEach((ref) -> verify(this.heat).delete("qa", ref));
		verify(this.heat, never()).delete("qa", stack(10, StackStatus.CREATE_COMPLETE).ref());
		verify(this.heat, never()).delete("qa", stack(8, StackStatus.CREATE_COMPLETE).ref());
		verify(this.heat, never()).delete("qa", stack(6, StackStatus.CREATE_COMPLETE).ref());
	}

	@Test
	void reportsAFailedDeleteOfAnOldStackAndIssuesItAgain() {
		StackRef old = new StackRef("reporting_qa_5", "id-5");
		when(this.heat.get("qa", old))
			.thenReturn(new StackState(old, StackStatus.DELETE_FAILED, "Resource DELETE failed", Map.of(), List.of()));
		assertThatThrownBy(() -> this.retirement.retiredStacksGone("qa", List.of(old), Instant.now().plusSeconds(60)))
			.hasMessageContaining("Deleting old stack reporting_qa_5 failed: Resource DELETE failed");
		verify(this.heat).delete("qa", old);
	}

}
