package au.edu.unimelb.reporting.ops.duplicity;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import au.edu.unimelb.reporting.ops.config.Secret;

/**
 * Where duplicity writes one tier: a {@code file://} folder, or a {@code swift://}
 * container with the Swift account's credentials. Debian's duplicity 0.8 uploads through
 * the {@code SWIFT_*} variables but queries and deletes through python-swiftclient's
 * {@code ST_*} ones; without both, every upload retries for minutes and
 * {@code remove-older-than} reports success while deleting nothing. So both are set, to
 * the same values.
 *
 * @param url the target URL ({@code swift://reporting-daily},
 * {@code file:///srv/backup/reporting-daily})
 * @param swiftAuthUrl the Swift auth URL, for {@code swift://} targets
 * @param swiftAuthVersion 1, 2 or 3
 * @param swiftUser the Swift user ({@code account:user} for v1)
 * @param swiftKey the Swift key
 */
public record DuplicityTarget(String url, String swiftAuthUrl, int swiftAuthVersion, String swiftUser,
		Secret swiftKey) {

	public static DuplicityTarget file(String url) {
		return new DuplicityTarget(url, null, 0, null, null);
	}

	public boolean isSwift() {
		return this.url.startsWith("swift://");
	}

	/** Whether the target is a local folder ({@code file://}). */
	public boolean isLocal() {
		return this.url.startsWith("file://");
	}

	/**
	 * The local folder of a {@code file://} target.
	 * @throws IllegalStateException for any other target
	 */
	public Path localFolder() {
		if (!isLocal()) {
			throw new IllegalStateException(this.url + " is not a local folder");
		}
		return Path.of(this.url.substring("file://".length()));
	}

	/** The plain environment duplicity needs for this target. */
	Map<String, String> environment() {
		Map<String, String> environment = new LinkedHashMap<>();
		if (isSwift()) {
			environment.put("SWIFT_AUTHURL", this.swiftAuthUrl);
			environment.put("SWIFT_USERNAME", this.swiftUser);
			environment.put("SWIFT_AUTHVERSION", Integer.toString(this.swiftAuthVersion));
			environment.put("ST_AUTH", this.swiftAuthUrl);
			environment.put("ST_USER", this.swiftUser);
		}
		return environment;
	}

	/** The secret environment duplicity needs for this target. */
	Map<String, Secret> secretEnvironment() {
		return isSwift() ? Map.of("SWIFT_PASSWORD", this.swiftKey, "ST_KEY", this.swiftKey) : Map.of();
	}

	@Override
	public String toString() {
		return this.url;
	}

}
