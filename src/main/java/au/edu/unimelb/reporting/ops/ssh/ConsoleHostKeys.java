package au.edu.unimelb.reporting.ops.ssh;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a server's SSH host keys from its console log, where cloud-init prints them at
 * the end of the first boot (module {@code keys_to_console}):
 *
 * <pre>
 * ec2: -----BEGIN SSH HOST KEY FINGERPRINTS-----
 * ec2: 256 SHA256:AbC... root@reporting-qa-7 (ED25519)
 * ec2: -----END SSH HOST KEY FINGERPRINTS-----
 * -----BEGIN SSH HOST KEY KEYS-----
 * ssh-ed25519 AAAAC3Nza... root@reporting-qa-7
 * -----END SSH HOST KEY KEYS-----
 * </pre>
 *
 * Only complete blocks count (a console read while cloud-init prints shows no keys yet),
 * and of several (the server booted again) the last. Lines may carry a prefix (a logger
 * tag, a time stamp) and a carriage return; a key whose base64 does not decode to its own
 * type is left out. A pure function: text in, keys out.
 */
public final class ConsoleHostKeys {

	static final String KEYS_BEGIN = "-----BEGIN SSH HOST KEY KEYS-----";

	static final String KEYS_END = "-----END SSH HOST KEY KEYS-----";

	static final String FINGERPRINTS_BEGIN = "-----BEGIN SSH HOST KEY FINGERPRINTS-----";

	static final String FINGERPRINTS_END = "-----END SSH HOST KEY FINGERPRINTS-----";

	private static final Pattern KEY = Pattern.compile(
			"(?<![A-Za-z0-9-])(" + String.join("|", HostKeys.TYPES) + ") (AAAA[A-Za-z0-9+/]+={0,3})(?![A-Za-z0-9+/=])");

	/** {@code ssh-keygen -l}: bits, SHA256 fingerprint, comment, (KIND). */
	private static final Pattern FINGERPRINT = Pattern
		.compile("\\b\\d+ SHA256:([A-Za-z0-9+/]{43})\\b.*\\((ED25519|ED448|ECDSA|RSA)\\)\\s*$");

	private ConsoleHostKeys() {
	}

	/**
	 * @param console the console log (any length; {@code null} for none)
	 * @return the host keys and fingerprints of the last complete blocks; empty when
	 * there are none yet
	 */
	public static HostKeys parse(String console) {
		List<String> lines = (console != null) ? List.of(console.split("\r?\n|\r")) : List.of();
		List<String> keys = new ArrayList<>();
		for (String line : lastBlock(lines, KEYS_BEGIN, KEYS_END)) {
			Matcher key = KEY.matcher(line);
			if (key.find() && HostKeys.type(HostKeys.decode(key.group(2))).equals(key.group(1))) {
				String entry = key.group(1) + " " + key.group(2);
				if (!keys.contains(entry)) {
					keys.add(entry);
				}
			}
		}
		List<String> fingerprints = new ArrayList<>();
		for (String line : lastBlock(lines, FINGERPRINTS_BEGIN, FINGERPRINTS_END)) {
			Matcher fingerprint = FINGERPRINT.matcher(line);
			if (fingerprint.find()) {
				String entry = fingerprint.group(2) + " SHA256:" + fingerprint.group(1);
				if (!fingerprints.contains(entry)) {
					fingerprints.add(entry);
				}
			}
		}
		return new HostKeys(keys, fingerprints);
	}

	/** The lines between the last begin marker that has an end marker after it. */
	private static List<String> lastBlock(List<String> lines, String begin, String end) {
		int endAt = -1;
		for (int at = lines.size() - 1; at >= 0; at--) {
			String line = lines.get(at);
			if (line.contains(end)) {
				endAt = at;
			}
			else if (line.contains(begin) && endAt > at) {
				return lines.subList(at + 1, endAt);
			}
		}
		return List.of();
	}

}
