package au.edu.unimelb.reporting.ops.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which URLs the service trusts answers from: {@code https}, or {@code http} to this
 * machine only (the loopback test bed). Used by the settings
 * ({@link HttpsUnlessLoopback}) and by the OpenStack facades for the endpoints the
 * catalog names.
 */
public final class SecureUrls {

	/** Loopback IPv4 addresses, written out (no name is resolved). */
	private static final Pattern LOOPBACK_V4 = Pattern
		.compile("127\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){2}");

	private SecureUrls() {
	}

	/**
	 * @param url a URL
	 * @return whether it is {@code https}, or {@code http} to a loopback host; anything
	 * else (another scheme, no host, not a URL) is not
	 */
	public static boolean allows(String url) {
		if (url == null) {
			return false;
		}
		String lower = url.toLowerCase(Locale.ROOT);
		if (lower.startsWith("https://")) {
			return true;
		}
		return lower.startsWith("http://") && isLoopback(url);
	}

	/**
	 * @param url a URL
	 * @return whether its host is written as a loopback address (127.0.0.0/8,
	 * {@code ::1}) or {@code localhost}
	 */
	public static boolean isLoopback(String url) {
		try {
			String host = new URI(url).getHost();
			if (host == null) {
				return false;
			}
			host = host.toLowerCase(Locale.ROOT);
			return host.equals("localhost") || host.equals("[::1]") || LOOPBACK_V4.matcher(host).matches();
		}
		catch (URISyntaxException ex) {
			return false;
		}
	}

}
