package au.edu.unimelb.reporting.ops.notify;

import java.util.Map;
import java.util.function.Supplier;

import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.incident.IncidentContext;
import org.camunda.bpm.engine.impl.incident.IncidentHandler;
import org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity;
import org.camunda.bpm.engine.runtime.Incident;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One hook for every process: wraps each of the engine's incident handlers (failed jobs,
 * failed external tasks, any other type) so that a new incident also sends the operators
 * a notice, after the transaction that raised it commits. The incident itself is the
 * engine's as before; a notice that cannot be built is logged, never thrown.
 */
public class IncidentNoticesPlugin extends AbstractProcessEnginePlugin {

	private static final Logger log = LoggerFactory.getLogger(IncidentNoticesPlugin.class);

	private final Supplier<Notifications> notifications;

	/**
	 * @param notifications asked when an incident is raised (the engine is built before
	 * the beans that notify)
	 */
	public IncidentNoticesPlugin(Supplier<Notifications> notifications) {
		this.notifications = notifications;
	}

	@Override
	public void postInit(ProcessEngineConfigurationImpl configuration) {
		Map<String, IncidentHandler> handlers = configuration.getIncidentHandlers();
		handlers.replaceAll((type, handler) -> new Notifying(handler));
	}

	/** An incident handler that notifies after the one it wraps made the incident. */
	final class Notifying implements IncidentHandler {

		private final IncidentHandler handler;

		Notifying(IncidentHandler handler) {
			this.handler = handler;
		}

		@Override
		public String getIncidentHandlerType() {
			return this.handler.getIncidentHandlerType();
		}

		@Override
		public Incident handleIncident(IncidentContext context, String message) {
			Incident incident = this.handler.handleIncident(context, message);
			try {
				Notifications to = IncidentNoticesPlugin.this.notifications.get();
				if (incident != null && to != null && to.on()) {
					to.send(notice(incident, to));
				}
			}
			catch (RuntimeException ex) {
				log.warn("No notice for incident {}: {}", (incident != null) ? incident.getId() : "?", ex.toString());
			}
			return incident;
		}

		@Override
		public void resolveIncident(IncidentContext context) {
			this.handler.resolveIncident(context);
		}

		@Override
		public void deleteIncident(IncidentContext context) {
			this.handler.deleteIncident(context);
		}

	}

	static Notice notice(Incident incident, Notifications links) {
		String definition = incident.getProcessDefinitionId();
		String process = (definition != null && definition.contains(":"))
				? definition.substring(0, definition.indexOf(':')) : definition;
		ExecutionEntity execution = (incident.getExecutionId() != null && Context.getCommandContext() != null)
				? Context.getCommandContext().getExecutionManager().findExecutionById(incident.getExecutionId()) : null;
		String activityName = (execution != null && execution.getActivity() != null) ? execution.getActivity().getName()
				: null;
		String step = (activityName != null) ? activityName + " (" + incident.getActivityId() + ")"
				: incident.getActivityId();
		Notice.Builder notice = Notice
			.of(NoticeEvent.INCIDENT, "Incident in " + process + ": the step '" + step + "' failed and waits")
			.detail(incident.getIncidentMessage())
			.where("Process", process)
			.where("Step", step)
			.where("Process instance", incident.getProcessInstanceId());
		if (execution != null) {
			notice.where("Environment", execution.getVariable("environment"))
				.where("Build", execution.getVariable("build"));
		}
		return notice.where("Incident type", incident.getIncidentType())
			.next("Look at the incident in Cockpit: " + links.instanceLink(incident.getProcessInstanceId()))
			.next("Fix the cause, then Retry the step there (or cancel the instance)")
			.to(Recipients.operators());
	}

}
