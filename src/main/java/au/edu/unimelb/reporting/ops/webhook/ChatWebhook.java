package au.edu.unimelb.reporting.ops.webhook;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import au.edu.unimelb.reporting.ops.config.Secret;

/**
 * A chat channel's incoming webhook: {@code POST <url>} with a JSON body {@code {"text":
 * "..."}}, which Slack's incoming webhooks and Microsoft Teams' both accept, over
 * {@code java.net.http} with a timeout. The URL carries the channel's token: it is a
 * {@link Secret}, and no exception or log line of this class shows it.
 */
public final class ChatWebhook {

	private final Secret url;

	private final Duration timeout;

	private final HttpClient client;

	public ChatWebhook(Secret url, Duration timeout) {
		this.url = url;
		this.timeout = timeout;
		this.client = HttpClient.newBuilder()
			.connectTimeout(timeout)
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
	}

	/**
	 * Posts one message.
	 * @throws WebhookException when the hook cannot be reached, times out, or answers
	 * other than 2xx
	 */
	public void post(String text) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.url.reveal()))
			.timeout(this.timeout)
			.header("Content-Type", "application/json; charset=utf-8")
			.POST(HttpRequest.BodyPublishers.ofString(json(plain(text))))
			.build();
		HttpResponse<String> response;
		try {
			response = this.client.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			// the exception's message may name the URL: only its type is kept
			throw new WebhookException("The chat webhook could not be reached: " + ex.getClass().getSimpleName());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new WebhookException("Interrupted while posting to the chat webhook");
		}
		if (response.statusCode() / 100 != 2) {
			throw new WebhookException("The chat webhook answered HTTP " + response.statusCode());
		}
	}

	/**
	 * The text as plain text in the channel: Slack reads {@code <!channel>},
	 * {@code <!here>}, {@code <@U123>} and {@code <https://elsewhere|the task>} in a
	 * message's text as a mention or a disguised link, so a tester's comment or a
	 * program's output could page the whole channel or hide where a link goes. Slack (and
	 * Teams) show {@code &lt;}, {@code &gt;} and {@code &amp;} as the characters.
	 */
	static String plain(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
	}

	/** {@code {"text": "..."}}, escaped as JSON strings are. */
	static String json(String text) {
		StringBuilder json = new StringBuilder("{\"text\":\"");
		for (char c : text.toCharArray()) {
			switch (c) {
				case '"' -> json.append("\\\"");
				case '\\' -> json.append("\\\\");
				case '\n' -> json.append("\\n");
				case '\r' -> json.append("\\r");
				case '\t' -> json.append("\\t");
				default -> {
					if (c < 0x20) {
						json.append(String.format("\\u%04x", (int) c));
					}
					else {
						json.append(c);
					}
				}
			}
		}
		return json.append("\"}").toString();
	}

	/** A post that did not reach the channel; its message never carries the URL. */
	public static final class WebhookException extends RuntimeException {

		WebhookException(String message) {
			super(message);
		}

	}

	@Override
	public String toString() {
		return "chat webhook";
	}

}
