package au.edu.unimelb.reporting.ops.health;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Pattern;

import org.springframework.stereotype.Component;

/**
 * The one facade over the application's own health endpoint:
 * {@code GET http://IP:PORT/PATH} with a timeout. A server is healthy when it answers 200
 * and, when a build is expected, its answer names that build as a whole word (the version
 * marker). Not answering is an outcome, not an error: waiting loops ask again.
 */
@Component
public class HealthProbe {

	private final HttpClient http = HttpClient.newBuilder()
		.connectTimeout(Duration.ofSeconds(3))
		.followRedirects(HttpClient.Redirect.NEVER)
		.version(HttpClient.Version.HTTP_1_1)
		.build();

	/**
	 * @param url the health URL
	 * @param expectedBuild the build the answer must name, or {@code null} for any
	 * @param timeout the limit for the whole request
	 * @return whether it is healthy, and why not
	 */
	public ProbeResult probe(String url, String expectedBuild, Duration timeout) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(url))
			.timeout(timeout)
			.header("Cache-Control", "no-cache")
			.GET()
			.build();
		try {
			HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				return new ProbeResult(false, response.statusCode(), url + " answered HTTP " + response.statusCode());
			}
			if (expectedBuild != null && !namesBuild(response.body(), expectedBuild)) {
				return new ProbeResult(false, 200, url + " does not serve build " + expectedBuild + " (it answered '"
						+ abbreviate(response.body()) + "')");
			}
			return new ProbeResult(true, 200, url + " is healthy");
		}
		catch (IOException ex) {
			return new ProbeResult(false, 0, url + " did not answer: " + ex.getClass().getSimpleName()
					+ ((ex.getMessage() != null) ? " " + ex.getMessage() : ""));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new ProbeResult(false, 0, url + ": interrupted");
		}
	}

	static boolean namesBuild(String body, String build) {
		return Pattern.compile("(?<![A-Za-z0-9._-])" + Pattern.quote(build) + "(?![A-Za-z0-9._-])")
			.matcher(body)
			.find();
	}

	private static String abbreviate(String text) {
		String line = text.strip().replaceAll("\\s+", " ");
		return (line.length() > 120) ? line.substring(0, 120) + "…" : line;
	}

	/**
	 * @param healthy whether the server passed
	 * @param status the HTTP status, 0 when there was no answer
	 * @param detail a sentence for the log, the record and an incident
	 */
	public record ProbeResult(boolean healthy, int status, String detail) {
	}

}
