package au.edu.unimelb.reporting.ops.ssh;

import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Reading the host keys cloud-init prints on a new server's console, and checking a
 * presented key against them; anything that could be a forgery (a second block, a line
 * that is not a key, fingerprints of other keys) shows no keys and says why.
 */
class ConsoleHostKeysTest {

	static final String ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIL2JMN0SPp+YdEiV7d/YOjtI1w67KdgHSt+lpl/CkAUr";

	static final String ECDSA = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBJpxyEPeyTA2"
			+ "hqc66pkeNTok3vJvVy+cXI+6DIuzPoYYj+7JO+MU2AQq78o73wzxGGOmea3ELQgMfHH+W5CWeL4=";

	static final String OTHER = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGtQvvTVnM8s/28SzpXDQ2cAjRUu1l2klPwNNEGLq8/i";

	/** What a Debian 12 cloud image prints at the end of its first boot. */
	static final String CONSOLE = String.join("\r\n", "[    0.000000] Linux version 6.1.0-28-cloud-amd64",
			"[  OK  ] Started ssh.service - OpenBSD Secure Shell server.",
			"[   14.101203] cloud-init[612]: Cloud-init v. 22.4.2 running 'modules:final'",
			"<14>Nov 24 01:02:03 cloud-init: #############################################################",
			"<14>Nov 24 01:02:03 cloud-init: -----BEGIN SSH HOST KEY FINGERPRINTS-----",
			"<14>Nov 24 01:02:03 cloud-init: 256 SHA256:h6hc/p/zsUEFFwGu6bnljaeHvizTDdly3TDtLXGlk+k root@reporting-qa-7 (ECDSA)",
			"<14>Nov 24 01:02:03 cloud-init: 256 SHA256:NlFPAJBwWHHkI0FDmzurUDjljT05MY1iz4aIZNut7z8 root@reporting-qa-7 (ED25519)",
			"<14>Nov 24 01:02:03 cloud-init: -----END SSH HOST KEY FINGERPRINTS-----",
			"<14>Nov 24 01:02:03 cloud-init: #############################################################",
			"-----BEGIN SSH HOST KEY KEYS-----", ECDSA + " root@reporting-qa-7", ED25519 + " root@reporting-qa-7",
			"-----END SSH HOST KEY KEYS-----",
			"[   14.512312] cloud-init[612]: Cloud-init v. 22.4.2 finished at Mon, 24 Nov 2026 01:02:03 +0000.", "");

	@Test
	void readsTheKeysAndFingerprintsCloudInitPrints() {
		HostKeys keys = ConsoleHostKeys.parse(CONSOLE);
		assertThat(keys.keys()).containsExactly(ECDSA, ED25519);
		assertThat(keys.fingerprints()).containsExactly("ECDSA SHA256:h6hc/p/zsUEFFwGu6bnljaeHvizTDdly3TDtLXGlk+k",
				"ED25519 SHA256:NlFPAJBwWHHkI0FDmzurUDjljT05MY1iz4aIZNut7z8");
		assertThat(keys.algorithms()).containsExactly("ssh-ed25519", "ecdsa-sha2-nistp256");
	}

	@Test
	void acceptsExactlyTheKeysShownAndNoOther() {
		HostKeys keys = ConsoleHostKeys.parse(CONSOLE);
		assertThat(keys.accepts(blob(ED25519))).isTrue();
		assertThat(keys.accepts(blob(ECDSA))).isTrue();
		assertThat(keys.accepts(blob(OTHER))).isFalse();
	}

	@Test
	void waitsForTheKeysBlockWhenOnlyTheFingerprintsWereShown() {
		String fingerprintsOnly = CONSOLE.substring(0, CONSOLE.indexOf("-----BEGIN SSH HOST KEY KEYS-----"));
		ConsoleHostKeys.Reading reading = ConsoleHostKeys.read(fingerprintsOnly);
		assertThat(reading.keys().isEmpty()).isTrue();
		assertThat(reading.problem()).as("not ambiguous: not printed yet").isNull();
	}

	@Test
	void findsNothingBeforeCloudInitHasPrintedACompleteBlock() {
		assertThat(ConsoleHostKeys.parse(null).isEmpty()).isTrue();
		assertThat(ConsoleHostKeys.parse("").isEmpty()).isTrue();
		assertThat(
				ConsoleHostKeys.parse("[    0.000000] Linux version 6.1.0\n[  OK  ] Started ssh.service\n").isEmpty())
			.isTrue();
		String halfPrinted = "-----BEGIN SSH HOST KEY KEYS-----\n" + ED25519 + " root@reporting-qa-7\n";
		assertThat(ConsoleHostKeys.parse(halfPrinted).isEmpty()).as("no end marker yet").isTrue();
	}

	@Test
	void takesABlockPrintedAgainWithTheSameKeysOnce() {
		String block = "-----BEGIN SSH HOST KEY KEYS-----\n" + ED25519 + " root@reporting-qa-7\n"
				+ "-----END SSH HOST KEY KEYS-----\n";
		assertThat(ConsoleHostKeys.parse(block + "reboot\n" + block).keys()).containsExactly(ED25519);
	}

	@Test
	void refusesTwoDifferentKeyBlocksWhicheverComesLast() {
		String real = "-----BEGIN SSH HOST KEY KEYS-----\n" + ED25519 + " root@x\n-----END SSH HOST KEY KEYS-----\n";
		String forged = "[  40.1] foo: -----BEGIN SSH HOST KEY KEYS-----\n[  40.2] foo: " + OTHER
				+ "\n[  40.3] foo: -----END SSH HOST KEY KEYS-----\n";
		String plainForged = "-----BEGIN SSH HOST KEY KEYS-----\n" + OTHER
				+ " root@x\n-----END SSH HOST KEY KEYS-----\n";
		assertAmbiguous(real + forged);
		assertAmbiguous(real + plainForged);
		assertAmbiguous(plainForged + real);
	}

	@Test
	void refusesABlockWithALogLinePrintedInside() {
		assertAmbiguous("-----BEGIN SSH HOST KEY KEYS-----\n" + ED25519 + " root@x\n[   35.9] kernel: GET /" + OTHER
				+ " HTTP/1.1\n-----END SSH HOST KEY KEYS-----\n");
		assertAmbiguous(
				"-----BEGIN SSH HOST KEY KEYS-----\nhello world<" + OTHER + ">\n-----END SSH HOST KEY KEYS-----\n");
	}

	@Test
	void refusesABlockWithAKeyWhoseBase64IsNotItsType() {
		String mislabelled = "ssh-ed25519 " + ECDSA.substring(ECDSA.indexOf(' ') + 1);
		assertAmbiguous("-----BEGIN SSH HOST KEY KEYS-----\n" + mislabelled + " root@x\n" + ED25519
				+ " root@x\n-----END SSH HOST KEY KEYS-----\n");
		assertAmbiguous("-----BEGIN SSH HOST KEY KEYS-----\nssh-ed25519 AAAAnot-base64!! root@x\n" + ED25519
				+ " root@x\n-----END SSH HOST KEY KEYS-----\n");
	}

	@Test
	void ignoresKeysOutsideTheBlock() {
		String console = OTHER + " root@echoed-by-a-user\n-----BEGIN SSH HOST KEY KEYS-----\n" + ED25519
				+ " root@reporting-qa-7\n-----END SSH HOST KEY KEYS-----\n";
		assertThat(ConsoleHostKeys.parse(console).keys()).containsExactly(ED25519);
	}

	@Test
	void refusesASecondBlockThatBeginsAndDoesNotEnd() {
		assertAmbiguous("-----BEGIN SSH HOST KEY KEYS-----\n" + ED25519 + " root@x\n-----END SSH HOST KEY KEYS-----\n"
				+ "-----BEGIN SSH HOST KEY KEYS-----\n" + OTHER + "\n");
	}

	@Test
	void refusesMarkersThatAreNotOnALineOfTheirOwn() {
		assertAmbiguous("x -----END SSH HOST KEY KEYS----- -----BEGIN SSH HOST KEY KEYS-----\n" + OTHER
				+ "\n-----END SSH HOST KEY KEYS-----\n");
	}

	@Test
	void refusesABlockWhoseBeginWasCutOff() {
		assertAmbiguous(ED25519 + "\n-----END SSH HOST KEY KEYS-----\n");
	}

	@Test
	void refusesFingerprintsThatDoNotDescribeTheKeys() {
		String keys = CONSOLE.substring(CONSOLE.indexOf("-----BEGIN SSH HOST KEY KEYS-----"));
		String forgedFingerprint = "ED25519 SHA256:"
				+ Base64.getEncoder().withoutPadding().encodeToString(HostKeys.sha256(blob(OTHER)));
		String forged = "ec2: -----BEGIN SSH HOST KEY FINGERPRINTS-----\nec2: 256 " + forgedFingerprint.substring(8)
				+ " root@x (ED25519)\nec2: -----END SSH HOST KEY FINGERPRINTS-----\n";
		assertAmbiguous(forged + keys);
		assertThat(ConsoleHostKeys.parse(forged + keys).accepts(blob(OTHER))).isFalse();
		assertAmbiguous(CONSOLE + forged);
	}

	private static void assertAmbiguous(String console) {
		ConsoleHostKeys.Reading reading = ConsoleHostKeys.read(console);
		assertThat(reading.keys().isEmpty()).as("no keys from %s", console).isTrue();
		assertThat(reading.problem()).as("says why").isNotBlank();
	}

	@Test
	void survivesTheRoundTripThroughAProcessVariable() {
		HostKeys keys = ConsoleHostKeys.parse(CONSOLE);
		assertThat(HostKeys.parse(keys.format())).isEqualTo(keys);
		assertThat(keys.format()).doesNotContain("root@");
	}

	@Test
	void refusesAnythingElseAsAHostKey() {
		assertThatThrownBy(() -> HostKeys.parse("ssh-ed25519 AAAA; rm -rf /"))
			.isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> new HostKeys(List.of(), List.of("RSA MD5:aa:bb")))
			.isInstanceOf(IllegalArgumentException.class);
	}

	static byte[] blob(String key) {
		return Base64.getDecoder().decode(key.substring(key.indexOf(' ') + 1));
	}

}
