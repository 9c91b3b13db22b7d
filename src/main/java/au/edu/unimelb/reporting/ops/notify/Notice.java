package au.edu.unimelb.reporting.ops.notify;

import java.util.ArrayList;
import java.util.List;

/**
 * One message: what happened (the subject and first line), where (environment, build,
 * stack, process instance), and what to do next (with a link to Tasklist or Cockpit).
 *
 * @param event what it is about
 * @param subject the mail subject: what happened, in one line
 * @param body the text: what happened, where, what to do
 * @param to who it is for
 */
public record Notice(NoticeEvent event, String subject, String body, Recipients to) {

	/**
	 * Starts a notice.
	 * @param event what it is about
	 * @param subject what happened, in one line
	 */
	public static Builder of(NoticeEvent event, String subject) {
		return new Builder(event, subject);
	}

	/** The text of a chat message: the subject, then the body. */
	public String chatText() {
		return this.subject + "\n\n" + this.body;
	}

	/** Builds a notice's text in the same shape for every event. */
	public static final class Builder {

		private final NoticeEvent event;

		private final String subject;

		private final List<String> what = new ArrayList<>();

		private final List<String> where = new ArrayList<>();

		private final List<String> next = new ArrayList<>();

		private Builder(NoticeEvent event, String subject) {
			this.event = event;
			this.subject = subject;
		}

		/** A sentence of what happened (the subject is the first). */
		public Builder detail(String sentence) {
			if (sentence != null && !sentence.isBlank()) {
				this.what.add(sentence.strip());
			}
			return this;
		}

		/** One line of where: {@code Build: 2026.11.25-1}; left out when empty. */
		public Builder where(String label, Object value) {
			if (value != null && !value.toString().isBlank()) {
				this.where.add(label + ": " + value);
			}
			return this;
		}

		/** What to do next: {@code Open the task: <link>}. */
		public Builder next(String step) {
			if (step != null && !step.isBlank()) {
				this.next.add(step);
			}
			return this;
		}

		public Notice to(Recipients recipients) {
			StringBuilder body = new StringBuilder(this.subject);
			for (String sentence : this.what) {
				body.append("\n").append(sentence);
			}
			if (!this.where.isEmpty()) {
				body.append("\n\n");
				body.append(String.join("\n", this.where));
			}
			if (!this.next.isEmpty()) {
				body.append("\n\nWhat to do next:\n");
				body.append(String.join("\n", this.next.stream().map((step) -> "- " + step).toList()));
			}
			body.append("\n\n-- \nreporting-ops (this message was sent by the service; replies are not read)\n");
			return new Notice(this.event, this.subject, body.toString(), recipients);
		}

	}

}
