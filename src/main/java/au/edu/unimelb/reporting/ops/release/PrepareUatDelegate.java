package au.edu.unimelb.reporting.ops.release;

import au.edu.unimelb.reporting.ops.release.ReleaseService.UatContext;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.release.ReleaseProcess.APPROVALS;
import static au.edu.unimelb.reporting.ops.release.ReleaseProcess.APPROVALS_NEEDED;
import static au.edu.unimelb.reporting.ops.release.ReleaseProcess.APPROVALS_REQUIRED;
import static au.edu.unimelb.reporting.ops.release.ReleaseProcess.BUILD;
import static au.edu.unimelb.reporting.ops.release.ReleaseProcess.QA_DATA_AS_OF;
import static au.edu.unimelb.reporting.ops.release.ReleaseProcess.QA_STACK;
import static au.edu.unimelb.reporting.ops.release.ReleaseProcess.QA_URL;

/**
 * {@code Task_PrepareUat}: what the testers are shown (QA's URL, its stack, when its data
 * was copied from Prod), checked against what QA serves now, and how many approvals the
 * release needs ({@code uatApprovalsRequired}, {@code uatApprovalsNeeded}; none given yet
 * in {@code uatApprovals}).
 */
@Component("prepareUat")
class PrepareUatDelegate implements JavaDelegate {

	private final ReleaseService releases;

	PrepareUatDelegate(ReleaseService releases) {
		this.releases = releases;
	}

	@Override
	public void execute(DelegateExecution execution) {
		UatContext context = this.releases.prepareUat(execution.getProcessInstanceId(),
				(String) execution.getVariable(BUILD));
		execution.setVariable(QA_URL, context.qaUrl());
		execution.setVariable(QA_STACK, context.qaStack());
		execution.setVariable(QA_DATA_AS_OF, (context.qaDataAsOf() != null) ? context.qaDataAsOf().toString()
				: "never (QA has not been restored from Prod yet)");
		execution.setVariable(APPROVALS_REQUIRED, context.approvalsRequired());
		execution.setVariable(APPROVALS_NEEDED, context.approvalsRequired());
		execution.setVariable(APPROVALS, "[]");
	}

}
