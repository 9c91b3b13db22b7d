package au.edu.unimelb.reporting.ops.openstack;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;

import org.openstack4j.api.identity.EndpointURLResolver;
import org.openstack4j.model.identity.URLResolverParams;
import org.openstack4j.openstack.identity.internal.DefaultEndpointURLResolver;

/**
 * The catalog's endpoints, with the scheme, host and port of some service types replaced
 * ({@code cloud.endpoint-overrides}): the path the catalog names (Heat's
 * {@code /v1/<project>}) is kept. Types without an override resolve as openstack4j does.
 */
final class EndpointOverrides implements EndpointURLResolver {

	private final EndpointURLResolver catalog = new DefaultEndpointURLResolver();

	private final Map<String, String> baseUrls;

	EndpointOverrides(Map<String, String> baseUrls) {
		this.baseUrls = Map.copyOf(baseUrls);
	}

	@Override
	public String findURLV2(URLResolverParams params) {
		return override(params, this.catalog.findURLV2(params));
	}

	@Override
	public String findURLV3(URLResolverParams params) {
		return override(params, this.catalog.findURLV3(params));
	}

	private String override(URLResolverParams params, String url) {
		String base = (params.type != null) ? this.baseUrls.get(params.type.getType()) : null;
		return (base == null || url == null) ? url : rebase(url, base);
	}

	/**
	 * @param url a catalog URL ({@code http://10.0.0.5:8004/v1/abc})
	 * @param base where to reach the service instead ({@code https://heat.internal:8004})
	 * @return the URL with the base's scheme, host and port
	 * ({@code https://heat.internal:8004/v1/abc})
	 */
	static String rebase(String url, String base) {
		try {
			URI from = new URI(url);
			URI to = new URI(base);
			String path = (from.getRawPath() != null) ? from.getRawPath() : "";
			String query = (from.getRawQuery() != null) ? "?" + from.getRawQuery() : "";
			return to.getScheme() + "://" + to.getRawAuthority() + path + query;
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException("The catalog names an endpoint that is not a URL: " + url, ex);
		}
	}

}
