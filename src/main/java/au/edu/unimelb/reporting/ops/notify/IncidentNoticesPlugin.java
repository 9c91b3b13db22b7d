package au.edu.unimelb.reporting.ops.notify;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParseUtil;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.incident.DefaultIncidentHandler;
import org.camunda.bpm.engine.impl.incident.IncidentContext;
import org.camunda.bpm.engine.impl.incident.IncidentHandler;
import org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.pvm.process.ScopeImpl;
import org.camunda.bpm.engine.impl.util.xml.Element;
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

	/**
	 * An activity with this extension property set to {@code false} raises incidents that
	 * another notice already announces (a failed backup night's, which exists to be
	 * acknowledged): they send nothing more, so that the event is told once.
	 */
	public static final String NOTIFY_PROPERTY = "notifyIncident";

	@Override
	public void preInit(ProcessEngineConfigurationImpl configuration) {
		if (configuration.getCustomPostBPMNParseListeners() == null) {
			configuration.setCustomPostBPMNParseListeners(new ArrayList<>());
		}
		configuration.getCustomPostBPMNParseListeners().add(new NotifyProperty());
	}

	/**
	 * Keeps an activity's {@value #NOTIFY_PROPERTY} extension property on the parsed
	 * activity (the engine keeps extension properties only for external tasks).
	 */
	static final class NotifyProperty extends AbstractBpmnParseListener {

		private static void keep(Element element, ActivityImpl activity) {
			// null when the element has no camunda:properties
			Map<String, String> properties = BpmnParseUtil.parseCamundaExtensionProperties(element);
			String value = (properties != null) ? properties.get(NOTIFY_PROPERTY) : null;
			if (value != null) {
				activity.setProperty(NOTIFY_PROPERTY, value.strip());
			}
		}

		@Override
		public void parseServiceTask(Element element, ScopeImpl scope, ActivityImpl activity) {
			keep(element, activity);
		}

		@Override
		public void parseScriptTask(Element element, ScopeImpl scope, ActivityImpl activity) {
			keep(element, activity);
		}

		@Override
		public void parseSendTask(Element element, ScopeImpl scope, ActivityImpl activity) {
			keep(element, activity);
		}

		@Override
		public void parseBusinessRuleTask(Element element, ScopeImpl scope, ActivityImpl activity) {
			keep(element, activity);
		}

		@Override
		public void parseCallActivity(Element element, ScopeImpl scope, ActivityImpl activity) {
			keep(element, activity);
		}

	}

	@Override
	public void postInit(ProcessEngineConfigurationImpl configuration) {
		Map<String, IncidentHandler> handlers = new AnyType();
		configuration.getIncidentHandlers().forEach((type, handler) -> handlers.put(type, new Notifying(handler)));
		configuration.setIncidentHandlers(handlers);
	}

	/**
	 * The handlers by type; a type nobody registered (an incident made through the API,
	 * {@code RuntimeService#createIncident}) gets the engine's default handler, wrapped,
	 * where the engine would make a bare one.
	 */
	final class AnyType extends HashMap<String, IncidentHandler> {

		@Override
		public IncidentHandler get(Object type) {
			IncidentHandler handler = super.get(type);
			return (handler != null || !(type instanceof String name)) ? handler
					: new Notifying(new DefaultIncidentHandler(name));
		}

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
				if (incident != null && to != null && to.on() && !announcedElsewhere(incident)) {
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

	private static boolean announcedElsewhere(Incident incident) {
		ExecutionEntity execution = execution(incident);
		if (execution == null || execution.getActivity() == null) {
			return false;
		}
		return "false".equals(execution.getActivity().getProperty(NOTIFY_PROPERTY));
	}

	private static ExecutionEntity execution(Incident incident) {
		return (incident.getExecutionId() != null && Context.getCommandContext() != null)
				? Context.getCommandContext().getExecutionManager().findExecutionById(incident.getExecutionId()) : null;
	}

	static Notice notice(Incident incident, Notifications links) {
		String definition = incident.getProcessDefinitionId();
		String process = (definition != null && definition.contains(":"))
				? definition.substring(0, definition.indexOf(':')) : definition;
		ExecutionEntity execution = execution(incident);
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
