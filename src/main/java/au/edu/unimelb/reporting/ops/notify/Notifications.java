package au.edu.unimelb.reporting.ops.notify;

import au.edu.unimelb.reporting.ops.engine.LogText;
import org.camunda.bpm.engine.impl.cfg.TransactionState;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * What features tell people through: {@link #send} a {@link Notice} from a step, and it
 * goes out once the engine's transaction has committed (a step that rolls back sends
 * nothing; a step that is retried sends once, when it succeeds), from the
 * {@link Outbox}'s thread. Sending never fails or blocks the step. Off (nothing queued)
 * until a mail host or webhook is set.
 */
@Component
public class Notifications {

	private static final Logger log = LoggerFactory.getLogger(Notifications.class);

	private final NotifySettings settings;

	private final Outbox outbox;

	public Notifications(NotifySettings settings, Outbox outbox) {
		this.settings = settings;
		this.outbox = outbox;
	}

	/** Whether a channel is on: features need not build notices otherwise. */
	public boolean on() {
		return this.outbox.on();
	}

	/**
	 * Sends a notice after the current engine transaction commits; at once (to the queue)
	 * when there is none. Never throws.
	 */
	public void send(Notice notice) {
		if (!on()) {
			return;
		}
		try {
			CommandContext command = Context.getCommandContext();
			if (command != null) {
				command.getTransactionContext()
					.addTransactionListener(TransactionState.COMMITTED, (committed) -> this.outbox.submit(notice));
			}
			else {
				this.outbox.submit(notice);
			}
		}
		catch (RuntimeException ex) {
			log.warn("Notification '{}' not queued: {}", notice.event(), ex.toString());
		}
	}

	/**
	 * Builds and sends a notice from a step: a notice that cannot be built (a variable of
	 * an unexpected type, a look-up the step's user may not make) is logged, never
	 * thrown, so that telling never fails the step.
	 * @param what the notice, for the log line
	 * @param build builds the notice and calls {@link #send(Notice)}
	 */
	public void guarded(String what, Runnable build) {
		if (!on()) {
			return;
		}
		try {
			build.run();
		}
		catch (RuntimeException ex) {
			log.warn("Notification '{}' not sent: it could not be built: {}", what, LogText.of(ex.toString()));
		}
	}

	/**
	 * The link that opens a task in Tasklist (after the login page, when needed).
	 */
	public String taskLink(String taskId) {
		return this.settings.publicUrl() + "/camunda/app/tasklist/default/#/?task=" + taskId;
	}

	/** The link to a process instance in Cockpit, with its incidents. */
	public String instanceLink(String processInstanceId) {
		return this.settings.publicUrl() + "/camunda/app/cockpit/default/#/process-instance/" + processInstanceId
				+ "/runtime";
	}

	/** The Tasklist of the service. */
	public String tasklist() {
		return this.settings.publicUrl() + "/camunda/app/tasklist/default/";
	}

}
