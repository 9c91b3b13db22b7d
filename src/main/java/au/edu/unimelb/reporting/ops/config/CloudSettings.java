package au.edu.unimelb.reporting.ops.config;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * An OpenStack project, reached through Keystone v3 with a password.
 *
 * @param authUrl the Keystone v3 URL ({@code https://keystone.example:5000/v3}); https,
 * unless its host is loopback (the test bed): the catalog, the tokens and the new
 * servers' consoles come through it
 * @param projectName the project (tenant) the stacks belong to
 * @param domain the user's and project's domain
 * @param userName the user the service acts as
 * @param password that user's password (environment or file only)
 * @param region the region whose orchestration endpoint is used, or empty for the only
 * one
 * @param requestTimeoutSeconds the connect and read timeout of every call
 * @param endpointOverrides where to reach a service instead of the catalog's address, by
 * service type ({@code orchestration}, {@code compute}) to a base URL
 * ({@code https://heat.internal:8004}): the catalog URL's path is kept and only its
 * scheme, host and port are replaced (for a catalog that names addresses the service
 * cannot reach, such as public ones behind NAT); https unless loopback; none by default
 */
public record CloudSettings(
		@NotNull @Pattern(regexp = "https?://.+",
				message = "must be an http(s) URL") @HttpsUnlessLoopback String authUrl,
		@NotBlank String projectName, @DefaultValue("Default") @NotBlank String domain, @NotBlank String userName,
		@NotNull @NotBlankSecret Secret password, String region,
		@DefaultValue("60") @Min(5) @Max(600) int requestTimeoutSeconds, Map<String, String> endpointOverrides) {

	/** The service types an endpoint override may name. */
	public static final List<String> OVERRIDABLE = List.of("orchestration", "compute");

	public CloudSettings {
		endpointOverrides = (endpointOverrides != null) ? Map.copyOf(endpointOverrides) : Map.of();
	}

	public URI authUri() {
		return URI.create(this.authUrl);
	}

	@AssertTrue(message = "must map orchestration or compute to a base URL without a path "
			+ "(https://host:port, or http:// to a loopback address)")
	boolean isEndpointOverrides() {
		return this.endpointOverrides.entrySet()
			.stream()
			.allMatch((entry) -> OVERRIDABLE.contains(entry.getKey()) && isBaseUrl(entry.getValue()));
	}

	private static boolean isBaseUrl(String url) {
		if (!SecureUrls.allows(url)) {
			return false;
		}
		try {
			URI uri = new URI(url);
			String path = uri.getRawPath();
			return uri.getHost() != null && (path == null || path.isEmpty() || path.equals("/"))
					&& uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
		}
		catch (java.net.URISyntaxException ex) {
			return false;
		}
	}

}
