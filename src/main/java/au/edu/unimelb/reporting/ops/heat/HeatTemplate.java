package au.edu.unimelb.reporting.ops.heat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * A HOT template as Heat receives it: the template, an optional environment, and the
 * files the environment's resource registry names.
 *
 * @param name the template's file name under {@code heat/}
 * @param body the template's text
 * @param environment the environment's text, or {@code null}
 * @param files the provider templates the environment maps types to, by the name it uses
 */
public record HeatTemplate(String name, String body, String environment, Map<String, String> files) {

	/**
	 * @return a SHA-256 of everything Heat receives, so a deployment record tells exactly
	 * which template ran
	 */
	public String sha256() {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			update(digest, this.body);
			update(digest, (this.environment != null) ? this.environment : "");
			for (Map.Entry<String, String> file : new TreeMap<>(this.files).entrySet()) {
				update(digest, file.getKey());
				update(digest, file.getValue());
			}
			return HexFormat.of().formatHex(digest.digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
	}

	private static void update(MessageDigest digest, String text) {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
		digest.update((byte) ':');
		digest.update(bytes);
	}

}
