package au.edu.unimelb.reporting.ops.release;

import au.edu.unimelb.reporting.ops.engine.StartedBy;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.release.ReleaseProcess.BUILD;
import static au.edu.unimelb.reporting.ops.release.ReleaseProcess.INITIATOR;
import static au.edu.unimelb.reporting.ops.release.ReleaseProcess.REQUESTED_BY;

/**
 * {@code Task_AcceptRelease} (synchronous, in the starting transaction): checks the build
 * and the requester, takes the release lock, opens the release's record. A refusal starts
 * nothing and answers the REST caller with 400 or 409.
 */
@Component("acceptRelease")
class AcceptReleaseDelegate implements JavaDelegate {

	private final ReleaseService releases;

	AcceptReleaseDelegate(ReleaseService releases) {
		this.releases = releases;
	}

	@Override
	public void execute(DelegateExecution execution) {
		Object requestedBy = execution.getVariable(REQUESTED_BY);
		if (requestedBy != null && !(requestedBy instanceof String)) {
			throw au.edu.unimelb.reporting.ops.engine.RequestRefusedException
				.badInput("The variable 'requestedBy' must be a String");
		}
		Object build = execution.getVariable(BUILD);
		this.releases.acceptRelease(execution.getProcessInstanceId(), (build instanceof String text) ? text : null,
				StartedBy.resetInitiator(execution, INITIATOR), (String) requestedBy);
	}

}
