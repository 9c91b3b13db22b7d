package au.edu.unimelb.reporting.ops.ssh;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SSH host keys a server may present, and nothing else: public keys
 * ({@code ssh-ed25519 AAAA...}) and SHA-256 fingerprints ({@code ED25519 SHA256:...}), as
 * its console showed them ({@link ConsoleHostKeys}). Written as one line per entry, so
 * that a run can keep them in a (non-secret) process variable.
 *
 * @param keys the public keys, each {@code type base64}
 * @param fingerprints the fingerprints, each {@code KIND SHA256:base64} with KIND as
 * {@code ssh-keygen -l} prints it ({@code ED25519}, {@code ECDSA}, {@code RSA})
 */
public record HostKeys(List<String> keys, List<String> fingerprints) {

	/** The host key types, strongest first. */
	static final List<String> TYPES = List.of("ssh-ed25519", "ssh-ed448", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
			"ecdsa-sha2-nistp521", "ssh-rsa");

	static final Pattern KEY = Pattern
		.compile("(ssh-ed25519|ssh-ed448|ssh-rsa|ecdsa-sha2-nistp256|ecdsa-sha2-nistp384|ecdsa-sha2-nistp521)"
				+ " (AAAA[A-Za-z0-9+/]+={0,3})");

	static final Pattern FINGERPRINT = Pattern.compile("(ED25519|ED448|ECDSA|RSA) SHA256:([A-Za-z0-9+/]{43})");

	public HostKeys {
		keys = List.copyOf(keys);
		fingerprints = List.copyOf(fingerprints);
		for (String key : keys) {
			Matcher matcher = KEY.matcher(key);
			if (!matcher.matches() || !type(decode(matcher.group(2))).equals(matcher.group(1))) {
				throw new IllegalArgumentException("Not a host key: " + key);
			}
		}
		for (String fingerprint : fingerprints) {
			if (!FINGERPRINT.matcher(fingerprint).matches()) {
				throw new IllegalArgumentException("Not a SHA256 host key fingerprint: " + fingerprint);
			}
		}
	}

	/**
	 * @return whether there is anything to check a server's key against
	 */
	public boolean isEmpty() {
		return this.keys.isEmpty() && this.fingerprints.isEmpty();
	}

	/**
	 * @param blob a host key as the server presents it (the SSH wire format)
	 * @return whether it is one of these keys, or has one of these fingerprints
	 */
	public boolean accepts(byte[] blob) {
		String type = type(blob);
		String encoded = Base64.getEncoder().encodeToString(blob);
		if (this.keys.contains(type + " " + encoded)) {
			return true;
		}
		String fingerprint = "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(sha256(blob));
		return this.fingerprints.contains(kind(type) + " " + fingerprint);
	}

	/**
	 * The host key algorithms a client may accept from the server: those of these keys'
	 * types, so that a server holding keys of other types too presents one of these.
	 * @return the algorithm names, strongest first
	 */
	public List<String> algorithms() {
		Set<String> algorithms = new LinkedHashSet<>();
		for (String type : TYPES) {
			// A fingerprint names only the kind (ECDSA, not its curve): it counts for the
			// kind's types unless a key of that kind says which one.
			boolean known = this.keys.stream().anyMatch((key) -> key.startsWith(type + " "))
					|| (this.fingerprints.stream().anyMatch((line) -> line.startsWith(kind(type) + " "))
							&& this.keys.stream()
								.noneMatch((key) -> kind(key.substring(0, key.indexOf(' '))).equals(kind(type))));
			if (known) {
				algorithms.addAll(type.equals("ssh-rsa") ? List.of("rsa-sha2-512", "rsa-sha2-256") : List.of(type));
			}
		}
		return List.copyOf(algorithms);
	}

	/**
	 * @return one entry per line, as {@link #parse(String)} reads it
	 */
	public String format() {
		List<String> lines = new ArrayList<>(this.keys);
		lines.addAll(this.fingerprints);
		return String.join("\n", lines);
	}

	/**
	 * Reads what {@link #format()} wrote.
	 */
	public static HostKeys parse(String text) {
		List<String> keys = new ArrayList<>();
		List<String> fingerprints = new ArrayList<>();
		if (text != null) {
			for (String line : text.split("\n")) {
				String entry = line.strip();
				if (entry.isEmpty()) {
					continue;
				}
				(FINGERPRINT.matcher(entry).matches() ? fingerprints : keys).add(entry);
			}
		}
		return new HostKeys(keys, fingerprints);
	}

	@Override
	public String toString() {
		return format();
	}

	/**
	 * The kind {@code ssh-keygen -l} names a key type by ({@code ssh-ed25519} → ED25519).
	 */
	static String kind(String type) {
		if (type.startsWith("ecdsa-")) {
			return "ECDSA";
		}
		return switch (type) {
			case "ssh-ed25519" -> "ED25519";
			case "ssh-ed448" -> "ED448";
			case "ssh-rsa" -> "RSA";
			default -> type.toUpperCase(java.util.Locale.ROOT);
		};
	}

	/** The type name at the start of a key blob (a length-prefixed string). */
	static String type(byte[] blob) {
		if (blob.length < 4) {
			return "";
		}
		int length = ((blob[0] & 0xff) << 24) | ((blob[1] & 0xff) << 16) | ((blob[2] & 0xff) << 8) | (blob[3] & 0xff);
		if (length <= 0 || length > 64 || blob.length < 4 + length) {
			return "";
		}
		return new String(blob, 4, length, java.nio.charset.StandardCharsets.US_ASCII);
	}

	static byte[] decode(String base64) {
		try {
			return Base64.getDecoder().decode(base64);
		}
		catch (IllegalArgumentException ex) {
			return new byte[0];
		}
	}

	static byte[] sha256(byte[] blob) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(blob);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
	}

}
