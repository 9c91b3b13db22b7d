package au.edu.unimelb.reporting.ops.config;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SecretGuardTest {

	private final SecretGuard guard = new SecretGuard(
			Arrays.asList(Secret.of("s3cret-passphrase"), Secret.of("abc"), null, Secret.of("  ")));

	@Test
	void findsASecretAloneOrInsideLongerText() {
		assertThat(this.guard.carriesSecret("s3cret-passphrase")).isTrue();
		assertThat(this.guard.carriesSecret("PASSPHRASE=s3cret-passphrase gpg ...")).isTrue();
	}

	@Test
	void matchesShortSecretsOnlyWhole() {
		assertThat(this.guard.carriesSecret("abc")).isTrue();
		assertThat(this.guard.carriesSecret("abcdef")).isFalse();
	}

	@Test
	void letsOrdinaryTextThrough() {
		assertThat(this.guard.carriesSecret("reporting_prod_42")).isFalse();
		assertThat(this.guard.carriesSecret("")).isFalse();
		assertThat(this.guard.carriesSecret(null)).isFalse();
	}

	@Test
	void masksEverySecretInAText() {
		assertThat(this.guard.mask("PASSPHRASE=s3cret-passphrase; again s3cret-passphrase"))
			.isEqualTo("PASSPHRASE=******; again ******");
		assertThat(this.guard.mask("abc")).isEqualTo("******");
		assertThat(this.guard.mask("abcdef")).isEqualTo("abcdef");
		assertThat(this.guard.mask(null)).isNull();
	}

	@Test
	void ignoresBlankAndMissingSecrets() {
		assertThat(this.guard.size()).isEqualTo(2);
		assertThat(new SecretGuard(List.of()).carriesSecret("anything")).isFalse();
	}

}
