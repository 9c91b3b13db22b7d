package au.edu.unimelb.reporting.ops.ssh;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
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
 * Strict, because whatever it accepts gets the database password:
 * <ul>
 * <li>exactly one complete KEYS block (the keys, required) and at most one FINGERPRINTS
 * block; a block printed again with the same content (a reboot) counts once, a second
 * block with other content, a block left open before another, or an end without its begin
 * makes the console ambiguous;</li>
 * <li>a marker is a line of its own; every line inside a block is one entry, behind at
 * most a cloud-init prefix ({@code ec2: }, {@code <14>Nov 24 01:02:03 cloud-init: }):
 * {@code type base64 [comment]} in KEYS, {@code bits SHA256:... [comment] (KIND)} in
 * FINGERPRINTS; any other line (a log line printed in between), or a key whose base64 is
 * not its own type, rejects the whole block;</li>
 * <li>when both blocks are there they must describe the same keys (the fingerprints of
 * the KEYS block's keys are exactly the FINGERPRINTS block).</li>
 * </ul>
 * A console whose blocks are not complete yet shows no keys; an ambiguous one shows no
 * keys and says why ({@link Reading#problem()}). A pure function: text in, keys out.
 */
public final class ConsoleHostKeys {

	static final String KEYS_BEGIN = "-----BEGIN SSH HOST KEY KEYS-----";

	static final String KEYS_END = "-----END SSH HOST KEY KEYS-----";

	static final String FINGERPRINTS_BEGIN = "-----BEGIN SSH HOST KEY FINGERPRINTS-----";

	static final String FINGERPRINTS_END = "-----END SSH HOST KEY FINGERPRINTS-----";

	/**
	 * What cloud-init's output may carry in front of a line: a syslog priority, a syslog
	 * time stamp, one tag ({@code ec2:}, {@code cloud-init[612]:}).
	 */
	private static final String PREFIX = "(?:<\\d{1,3}>)?(?:[A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d )?"
			+ "(?:[A-Za-z0-9_.-]+(?:\\[\\d+\\])?: )?";

	private static final String COMMENT = "(?: [\\x21-\\x7e][\\x20-\\x7e]*)?";

	private static final Pattern KEY_LINE = Pattern
		.compile(PREFIX + "(" + String.join("|", HostKeys.TYPES) + ") (AAAA[A-Za-z0-9+/]+={0,3})" + COMMENT);

	/** {@code ssh-keygen -l}: bits, SHA256 fingerprint, comment, (KIND). */
	private static final Pattern FINGERPRINT_LINE = Pattern
		.compile(PREFIX + "\\d{1,5} SHA256:([A-Za-z0-9+/]{43})" + COMMENT + " \\((ED25519|ED448|ECDSA|RSA)\\)");

	private ConsoleHostKeys() {
	}

	/**
	 * @param console the console log (any length; {@code null} for none)
	 * @return the host keys and their fingerprints; empty when the blocks are not
	 * complete yet or the console is ambiguous
	 */
	public static HostKeys parse(String console) {
		return read(console).keys();
	}

	/**
	 * @param console the console log (any length; {@code null} for none)
	 * @return the host keys, or none with the reason when the console is ambiguous
	 */
	public static Reading read(String console) {
		List<String> lines = (console != null) ? List.of(console.split("\r?\n|\r")) : List.of();
		Blocks keyBlocks = blocks(lines, "KEYS", KEYS_BEGIN, KEYS_END);
		Blocks fingerprintBlocks = blocks(lines, "FINGERPRINTS", FINGERPRINTS_BEGIN, FINGERPRINTS_END);
		if (keyBlocks.problem() != null) {
			return Reading.ambiguous(keyBlocks.problem());
		}
		if (fingerprintBlocks.problem() != null) {
			return Reading.ambiguous(fingerprintBlocks.problem());
		}
		if (keyBlocks.block() == null) {
			return Reading.NOT_YET;
		}
		List<String> keys = new ArrayList<>();
		for (String line : keyBlocks.block()) {
			Matcher key = KEY_LINE.matcher(line);
			if (!key.matches() || !HostKeys.type(HostKeys.decode(key.group(2))).equals(key.group(1))) {
				return Reading.ambiguous("a line in the KEYS block is not a host key ('" + printable(line) + "')");
			}
			add(keys, key.group(1) + " " + key.group(2));
		}
		if (keys.isEmpty()) {
			return Reading.ambiguous("the KEYS block holds no key");
		}
		List<String> fingerprints = new ArrayList<>();
		if (fingerprintBlocks.block() != null) {
			for (String line : fingerprintBlocks.block()) {
				Matcher fingerprint = FINGERPRINT_LINE.matcher(line);
				if (!fingerprint.matches()) {
					return Reading
						.ambiguous("a line in the FINGERPRINTS block is not a fingerprint ('" + printable(line) + "')");
				}
				add(fingerprints, fingerprint.group(2) + " SHA256:" + fingerprint.group(1));
			}
			Set<String> ofTheKeys = new LinkedHashSet<>(keys.stream().map(ConsoleHostKeys::fingerprint).toList());
			if (!ofTheKeys.equals(new LinkedHashSet<>(fingerprints))) {
				return Reading.ambiguous("the FINGERPRINTS block " + fingerprints
						+ " does not describe the keys of the KEYS block " + ofTheKeys);
			}
		}
		return new Reading(new HostKeys(keys, fingerprints), null);
	}

	/** The one block between a begin and an end marker, or why there is not one. */
	private static Blocks blocks(List<String> lines, String name, String begin, String end) {
		Pattern beginLine = Pattern.compile(PREFIX + Pattern.quote(begin) + "\\s*");
		Pattern endLine = Pattern.compile(PREFIX + Pattern.quote(end) + "\\s*");
		List<String> found = null;
		int openedAt = -1;
		for (int at = 0; at < lines.size(); at++) {
			String line = lines.get(at);
			boolean isBegin = line.contains(begin);
			boolean isEnd = line.contains(end);
			if (!isBegin && !isEnd) {
				continue;
			}
			if (isBegin && !beginLine.matcher(line).matches() || isEnd && !endLine.matcher(line).matches()) {
				return Blocks.problem("a " + name + " marker is not on a line of its own ('" + printable(line) + "')");
			}
			if (isBegin) {
				if (openedAt >= 0) {
					return Blocks.problem("a " + name + " block begins inside another");
				}
				openedAt = at;
			}
			else {
				if (openedAt < 0) {
					return Blocks.problem("a " + name + " block ends that did not begin (the console's start is cut "
							+ "off, or a block was forged)");
				}
				List<String> block = lines.subList(openedAt + 1, at)
					.stream()
					.filter((entry) -> !entry.isBlank())
					.toList();
				// A reboot prints the same block again, behind other time stamps.
				List<String> content = block.stream().map(ConsoleHostKeys::withoutPrefix).toList();
				if (found != null && !found.stream().map(ConsoleHostKeys::withoutPrefix).toList().equals(content)) {
					return Blocks.problem("the console shows two different " + name + " blocks");
				}
				if (found == null) {
					found = block;
				}
				openedAt = -1;
			}
		}
		if (openedAt >= 0 && found != null) {
			return Blocks.problem("a second " + name + " block begins and does not end");
		}
		// A block still open and no complete one: cloud-init is printing it now.
		return new Blocks(found, null);
	}

	/** The line as cloud-init wrote it, without the prefix a logger put in front. */
	private static String withoutPrefix(String line) {
		return line.replaceFirst("^" + PREFIX, "");
	}

	private static String fingerprint(String key) {
		String type = key.substring(0, key.indexOf(' '));
		byte[] blob = HostKeys.decode(key.substring(key.indexOf(' ') + 1));
		return HostKeys.kind(type) + " SHA256:"
				+ Base64.getEncoder().withoutPadding().encodeToString(HostKeys.sha256(blob));
	}

	private static void add(List<String> entries, String entry) {
		if (!entries.contains(entry)) {
			entries.add(entry);
		}
	}

	private static String printable(String line) {
		String text = line.replaceAll("[^\\x20-\\x7e]", "?");
		return (text.length() > 80) ? text.substring(0, 80) + "…" : text;
	}

	/**
	 * What a console shows.
	 *
	 * @param keys the host keys; empty when none are shown yet or the console is
	 * ambiguous
	 * @param problem why the console is ambiguous, or {@code null}
	 */
	public record Reading(HostKeys keys, String problem) {

		static final Reading NOT_YET = new Reading(new HostKeys(List.of(), List.of()), null);

		static Reading ambiguous(String problem) {
			return new Reading(new HostKeys(List.of(), List.of()), problem);
		}

	}

	private record Blocks(List<String> block, String problem) {

		static Blocks problem(String problem) {
			return new Blocks(null, problem);
		}

	}

}
