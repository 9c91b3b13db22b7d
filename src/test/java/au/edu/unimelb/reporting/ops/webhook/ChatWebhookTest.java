package au.edu.unimelb.reporting.ops.webhook;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import au.edu.unimelb.reporting.ops.config.Secret;
import au.edu.unimelb.reporting.ops.support.ThreadDumpOnTimeout;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The chat webhook: its JSON is what a JSON parser reads back as the text (quotes,
 * backslashes, control characters, unicode), Slack's mention and link syntax arrives as
 * plain text, and a hook on loopback that answers 500, redirects elsewhere or never
 * answers fails the post within the timeout with a message that never names the URL (its
 * token).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(ThreadDumpOnTimeout.class)
class ChatWebhookTest {

	static final String TOKEN = "T0/B0/hook-token-777";

	HttpServer server;

	final List<String> bodies = new CopyOnWriteArrayList<>();

	final CountDownLatch release = new CountDownLatch(1);

	@BeforeEach
	void start() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/ok/", (exchange) -> {
			this.bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
			byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, ok.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(ok);
			}
		});
		this.server.createContext("/fails/", (exchange) -> {
			exchange.sendResponseHeaders(500, -1);
			exchange.close();
		});
		this.server.createContext("/moved/", (exchange) -> {
			exchange.getResponseHeaders().add("Location", "https://elsewhere.example/" + TOKEN);
			exchange.sendResponseHeaders(302, -1);
			exchange.close();
		});
		this.server.createContext("/hangs/", (exchange) -> {
			try {
				this.release.await(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			exchange.close();
		});
		this.server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
		this.server.start();
	}

	@AfterEach
	void stop() {
		this.release.countDown();
		this.server.stop(0);
	}

	private ChatWebhook hook(String path) {
		return new ChatWebhook(
				Secret.of("http://127.0.0.1:" + this.server.getAddress().getPort() + "/" + path + "/" + TOKEN),
				Duration.ofSeconds(1));
	}

	@Test
	void theJsonReadsBackAsTheText() throws Exception {
		String text = "quote \" backslash \\ slash / tab \t cr \r nl \n nul \u0000 esc \u001b del \u007f "
				+ "line-sep \u2028 para-sep \u2029 é ✓ 🚀 bidi \u202e";

		String json = ChatWebhook.json(text);

		assertThat(new ObjectMapper().readTree(json).get("text").asText()).isEqualTo(text);
		assertThat(json).doesNotContain("\n").doesNotContain("\r").doesNotContain("\u0000");
	}

	@Test
	void postsTheTextWithMentionsAndLinksAsPlainText() throws Exception {
		hook("ok").post("Rejected <!channel> <@U123> <https://evil.example|the task> & \"more\"");

		assertThat(this.bodies).singleElement().satisfies((body) -> {
			String text = new ObjectMapper().readTree(body).get("text").asText();
			assertThat(text).isEqualTo(
					"Rejected &lt;!channel&gt; &lt;@U123&gt; &lt;https://evil.example|the task&gt; &amp; \"more\"");
		});
	}

	@Test
	void anErrorAnswerFailsWithoutTheUrl() {
		assertThatThrownBy(() -> hook("fails").post("x")).isInstanceOf(ChatWebhook.WebhookException.class)
			.hasMessageContaining("HTTP 500")
			.hasMessageNotContaining("hook-token");
	}

	@Test
	void aRedirectIsNotFollowed() {
		assertThatThrownBy(() -> hook("moved").post("x")).isInstanceOf(ChatWebhook.WebhookException.class)
			.hasMessageContaining("HTTP 302")
			.hasMessageNotContaining("hook-token");
	}

	@Test
	void aHookThatNeverAnswersFailsWithinTheTimeout() {
		assertThatThrownBy(() -> hook("hangs").post("x")).isInstanceOf(ChatWebhook.WebhookException.class)
			.hasMessageContaining("HttpTimeoutException")
			.hasMessageNotContaining("hook-token");
	}

}
