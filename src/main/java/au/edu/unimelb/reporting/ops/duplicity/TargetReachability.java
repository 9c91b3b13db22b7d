package au.edu.unimelb.reporting.ops.duplicity;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a duplicity target can be written, checked without duplicity (which takes
 * seconds to start) and without writing anything (a health check is polled, by anyone): a
 * {@code file://} folder must exist (or its parent, where duplicity creates it) and be
 * writable by the service's user (an access check, {@link Files#isWritable}); a
 * {@code swift://} container must be reachable with the account's credentials (v1 auth:
 * {@code GET} the auth URL with {@code X-Auth-User} and {@code X-Auth-Key}, then
 * {@code HEAD} the container at the storage URL). For Swift v2 or v3 (Keystone)
 * authentication only the auth URL's answer is checked: the settings name no project or
 * domain to authenticate in, so neither the credentials nor the container can be;
 * {@link #checks} says which, for the health details.
 */
public final class TargetReachability {

	/**
	 * The HTTP clients, one per connect timeout (the settings have one): each
	 * {@link HttpClient} owns a selector thread for as long as it lives, so a client per
	 * probe would start a thread at every health poll.
	 */
	private static final Map<Duration, HttpClient> CLIENTS = new ConcurrentHashMap<>();

	private TargetReachability() {
	}

	/**
	 * @param target the target
	 * @param timeout the limit of each HTTP call
	 * @return what was found, a sentence for an operator
	 * @throws IllegalStateException when the target cannot be written or reached
	 */
	public static String check(DuplicityTarget target, Duration timeout) {
		return target.isSwift() ? swift(target, timeout) : folder(target);
	}

	/**
	 * @param target the target
	 * @return what {@link #check} looks at for this kind of target, a sentence for an
	 * operator
	 */
	public static String checks(DuplicityTarget target) {
		if (!target.isSwift()) {
			return "that the folder (or, before the first backup, its parent) exists and that the service's user "
					+ "may write it (an access check: nothing is written)";
		}
		if (target.swiftAuthVersion() == 1) {
			return "v1 authentication with the account's credentials (GET of the auth URL), then HEAD of the container";
		}
		return "v" + target.swiftAuthVersion() + " (Keystone) authentication: only that the auth URL answers; "
				+ "ops.backup.swift names no project or domain to authenticate in, so the credentials and the "
				+ "container are not checked";
	}

	static String folder(DuplicityTarget target) {
		Path folder = Path.of(URI.create(target.url()));
		Path writable = Files.isDirectory(folder) ? folder : folder.getParent();
		if (writable == null || !Files.isDirectory(writable)) {
			throw new IllegalStateException("neither " + folder + " nor its parent folder exists");
		}
		if (!Files.isWritable(writable)) {
			throw new IllegalStateException(writable + " is not writable by the service's user (or is read-only)");
		}
		return writable.equals(folder) ? folder + " is writable"
				: folder.getParent() + " is writable (" + folder.getFileName() + " is made by the first backup)";
	}

	static String swift(DuplicityTarget target, Duration timeout) {
		HttpClient http = client(timeout);
		String container = target.url().substring("swift://".length());
		try {
			HttpRequest.Builder auth = HttpRequest.newBuilder(URI.create(target.swiftAuthUrl())).timeout(timeout).GET();
			if (target.swiftAuthVersion() != 1) {
				HttpResponse<Void> answer = http.send(auth.build(), HttpResponse.BodyHandlers.discarding());
				if (answer.statusCode() >= 500) {
					throw new IllegalStateException(
							"Swift's auth URL " + target.swiftAuthUrl() + " answered HTTP " + answer.statusCode());
				}
				return "Swift's auth URL answers HTTP " + answer.statusCode() + " (v" + target.swiftAuthVersion()
						+ " authentication: the credentials and the container are not checked)";
			}
			HttpResponse<Void> token = http.send(auth.header("X-Auth-User", target.swiftUser())
				.header("X-Auth-Key", target.swiftKey().reveal())
				.build(), HttpResponse.BodyHandlers.discarding());
			String storage = token.headers().firstValue("X-Storage-Url").orElse(null);
			String authToken = token.headers().firstValue("X-Auth-Token").orElse(null);
			if (token.statusCode() / 100 != 2 || storage == null || authToken == null) {
				throw new IllegalStateException("Swift refused the account " + target.swiftUser() + " (HTTP "
						+ token.statusCode() + " from " + target.swiftAuthUrl() + ")");
			}
			HttpResponse<Void> head = http.send(HttpRequest.newBuilder(URI.create(storage + "/" + container))
				.timeout(timeout)
				.method("HEAD", HttpRequest.BodyPublishers.noBody())
				.header("X-Auth-Token", authToken)
				.build(), HttpResponse.BodyHandlers.discarding());
			if (head.statusCode() == 404) {
				return "Swift answers; container " + container + " is made by the first backup";
			}
			if (head.statusCode() / 100 != 2) {
				throw new IllegalStateException(
						"Swift answered HTTP " + head.statusCode() + " for container " + container);
			}
			return "Swift container " + container + " is reachable";
		}
		catch (IOException ex) {
			throw new IllegalStateException("Swift (" + target.swiftAuthUrl() + ") did not answer: "
					+ ex.getClass().getSimpleName() + ((ex.getMessage() != null) ? " " + ex.getMessage() : ""), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

	/** The shared client whose connections give up after the timeout. */
	static HttpClient client(Duration connectTimeout) {
		return CLIENTS.computeIfAbsent(connectTimeout,
				(timeout) -> HttpClient.newBuilder()
					.connectTimeout(timeout)
					.followRedirects(HttpClient.Redirect.NEVER)
					.build());
	}

}
