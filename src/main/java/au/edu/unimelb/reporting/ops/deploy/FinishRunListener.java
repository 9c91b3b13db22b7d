package au.edu.unimelb.reporting.ops.deploy;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import au.edu.unimelb.reporting.ops.engine.RunEnd;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;

import org.springframework.stereotype.Component;

import static au.edu.unimelb.reporting.ops.deploy.DeployReplaceProcess.ENVIRONMENT;

/**
 * The end listener of deploy-replace and rollback: however the run ends (an end event, an
 * error, cancelled in Cockpit; see {@link RunEnd}), it closes the deployment record with
 * the outcome and the detail and releases the environment's lock, in the same
 * transaction; the operators hear of a Prod deploy and of every rollback
 * ({@link DeployNotices}, after it commits); a deploy is counted in the metrics
 * ({@link DeployMetrics}).
 */
@Component("finishRun")
class FinishRunListener implements ExecutionListener {

	private final DeployService deploy;

	private final DeployNotices notices;

	private final DeployMetrics metrics;

	FinishRunListener(DeployService deploy, DeployNotices notices, DeployMetrics metrics) {
		this.deploy = deploy;
		this.notices = notices;
		this.metrics = metrics;
	}

	@Override
	public void notify(DelegateExecution execution) {
		RunEnd end = RunEnd.of(execution);
		String environment = (String) execution.getVariable(ENVIRONMENT);
		this.deploy.finish(execution.getProcessInstanceId(), environment, end.outcome(), end.detail());
		this.notices.runEnded(execution, environment, end);
		if (DeployReplaceProcess.KEY.equals(processKey(execution))) {
			this.metrics.deployEnded(environment, end.outcome(), startedAt(execution), firstStarts(execution));
		}
		else {
			this.metrics.rollbackEnded();
		}
	}

	private static String processKey(DelegateExecution execution) {
		return execution.getProcessEngineServices()
			.getRepositoryService()
			.getProcessDefinition(execution.getProcessDefinitionId())
			.getKey();
	}

	/** When each activity of the run first started, from its history. */
	private static Map<String, Instant> firstStarts(DelegateExecution execution) {
		Map<String, Instant> starts = new HashMap<>();
		execution.getProcessEngineServices()
			.getHistoryService()
			.createHistoricActivityInstanceQuery()
			.processInstanceId(execution.getProcessInstanceId())
			.list()
			.forEach((activity) -> starts.merge(activity.getActivityId(), activity.getStartTime().toInstant(),
					(a, b) -> a.isBefore(b) ? a : b));
		return starts;
	}

	private static Instant startedAt(DelegateExecution execution) {
		HistoricProcessInstance run = execution.getProcessEngineServices()
			.getHistoryService()
			.createHistoricProcessInstanceQuery()
			.processInstanceId(execution.getProcessInstanceId())
			.singleResult();
		return (run != null && run.getStartTime() != null) ? run.getStartTime().toInstant() : null;
	}

}
