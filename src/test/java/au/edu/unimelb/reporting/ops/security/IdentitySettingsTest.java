package au.edu.unimelb.reporting.ops.security;

import java.util.regex.Pattern;

import au.edu.unimelb.reporting.ops.security.IdentitySettings.Ldap;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shapes a directory setting may take, where the Spring-level tests cannot say it (a
 * value's own spaces are trimmed there, not in an environment variable).
 */
class IdentitySettingsTest {

	private static final Pattern GROUP = Pattern.compile(IdentitySettings.NAME);

	@Test
	void aGroupIdHasNoSpaceAtEitherEndAndNoFilterSyntax() {
		assertThat(GROUP.matcher("reporting-uat").matches()).isTrue();
		assertThat(GROUP.matcher("Reporting UAT 2").matches()).isTrue();
		assertThat(GROUP.matcher("u").matches()).isTrue();
		assertThat(GROUP.matcher("u".repeat(128)).matches()).isTrue();
		assertThat(GROUP.matcher("u".repeat(129)).matches()).isFalse();
		for (String bad : new String[] { "reporting-uat ", " reporting-uat", "uat*", "uat)(cn=*", "uat\\2a", "" }) {
			assertThat(GROUP.matcher(bad).matches()).as("'%s'", bad).isFalse();
		}
	}

	@Test
	void aSearchFilterIsOneFilter() {
		assertThat(Ldap.oneFilter("(objectClass=inetOrgPerson)")).isTrue();
		assertThat(Ldap.oneFilter("(&(objectClass=person)(!(nsAccountLock=TRUE)))")).isTrue();
		assertThat(Ldap.oneFilter("(cn=a\\29b)")).as("an escaped parenthesis").isTrue();
		assertThat(Ldap.oneFilter("(objectClass=person))(|(uid=*)")).isFalse();
		assertThat(Ldap.oneFilter("(objectClass=person)(uid=*)")).isFalse();
		assertThat(Ldap.oneFilter("((objectClass=person)")).isFalse();
	}

}
