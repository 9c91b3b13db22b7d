package au.edu.unimelb.reporting.ops.support;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * Talks HTTP to a running service the way its users do: REST with basic authentication
 * (Jenkins, scripts), and the webapps' own login with a session cookie and CSRF token
 * (people in Cockpit and Tasklist).
 */
public final class ServiceClient {

	private final String baseUrl;

	private final HttpClient http;

	private final CookieManager cookies = new CookieManager();

	public ServiceClient(String baseUrl) {
		this.baseUrl = baseUrl;
		this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).cookieHandler(this.cookies).build();
	}

	/** The {@code id} of a started process instance, from the engine's answer. */
	public static String idOf(HttpResponse<String> started) {
		return started.body().replaceAll("(?s).*\"id\":\"([^\"]+)\".*", "$1");
	}

	public HttpResponse<String> get(String path) {
		return send(request(path).GET().build());
	}

	public HttpResponse<String> get(String path, String user, String password) {
		return send(request(path).header("Authorization", basic(user, password)).GET().build());
	}

	public HttpResponse<String> postJson(String path, String json, String user, String password) {
		HttpRequest.Builder builder = request(path).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json));
		if (user != null) {
			builder.header("Authorization", basic(user, password));
		}
		return send(builder.build());
	}

	/**
	 * Logs in to a webapp as a person does: opens the app (which sets the CSRF cookie),
	 * then posts the login form.
	 * @param app {@code cockpit}, {@code tasklist} or {@code admin}
	 * @return the login response: 200 when the user may use that app
	 */
	public HttpResponse<String> webappLogin(String app, String user, String password) {
		get("/camunda/app/" + app + "/default/");
		String csrf = this.cookies.getCookieStore()
			.getCookies()
			.stream()
			.filter((cookie) -> cookie.getName().equals("XSRF-TOKEN"))
			.map(java.net.HttpCookie::getValue)
			.findFirst()
			.orElse("");
		String form = "username=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&password="
				+ URLEncoder.encode(password, StandardCharsets.UTF_8);
		return send(request("/camunda/api/admin/auth/user/default/login/" + app)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("X-XSRF-TOKEN", csrf)
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build());
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create(this.baseUrl + path)).timeout(Duration.ofSeconds(30));
	}

	private HttpResponse<String> send(HttpRequest request) {
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException("No answer from " + request.uri(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while calling " + request.uri(), ex);
		}
	}

	private static String basic(String user, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

}
