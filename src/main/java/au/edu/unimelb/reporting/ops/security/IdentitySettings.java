package au.edu.unimelb.reporting.ops.security;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;

import au.edu.unimelb.reporting.ops.config.HasSecrets;
import au.edu.unimelb.reporting.ops.config.NotBlankSecret;
import au.edu.unimelb.reporting.ops.config.Secret;
import au.edu.unimelb.reporting.ops.config.SecureUrls;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where users and groups come from ({@code ops.identity.*}): the users that
 * {@link SecuritySettings} configures (the default, for small installs), or the
 * university's LDAP directory, read-only, through Camunda's LDAP identity provider.
 *
 * @param mode {@code configured} or {@code ldap}
 * @param ldap the directory; required in {@code ldap} mode
 */
@Validated
@ConfigurationProperties("ops.identity")
public record IdentitySettings(@DefaultValue("configured") @NotNull Mode mode, @Valid Ldap ldap) implements HasSecrets {

	/**
	 * A directory group id: what an LDAP filter may hold safely, with no space at the end
	 * (the directory would ignore it and find the group, whose id then never equals the
	 * setting: nobody would be a tester or an operator).
	 */
	static final String NAME = "[A-Za-z0-9]([A-Za-z0-9 ._-]{0,126}[A-Za-z0-9._-])?";

	public boolean isLdapMode() {
		return this.mode == Mode.LDAP;
	}

	@AssertTrue(message = "is missing (required when ops.identity.mode is ldap)")
	boolean isLdap() {
		return this.mode != Mode.LDAP || this.ldap != null;
	}

	@Override
	public Stream<Secret> secrets() {
		return (this.ldap != null)
				? Stream.of(this.ldap.bindPassword(), this.ldap.trustStorePassword()).filter(Objects::nonNull)
				: Stream.empty();
	}

	/** Where users and groups come from. */
	public enum Mode {

		/** From {@code ops.security.*}, kept in the engine's database. */
		CONFIGURED,

		/** From the LDAP directory, read-only. */
		LDAP

	}

	/**
	 * The directory, read through Camunda's LDAP identity provider (plugin 7.23, on the
	 * 7.24 engine). The plugin binds with {@code bindDn} to search, and with the user's
	 * DN and the typed password to check a login.
	 *
	 * @param url {@code ldaps://host:636} (TLS from the first byte); {@code ldap://} only
	 * to a loopback host, as the passwords cross the wire as they are (the plugin has no
	 * StartTLS)
	 * @param baseDn where every search starts ({@code dc=unimelb,dc=edu,dc=au})
	 * @param userSearchBase below the base DN, where people are ({@code ou=people});
	 * empty: the base DN
	 * @param userSearchFilter which entries are people
	 * @param groupSearchBase below the base DN, where groups are ({@code ou=groups})
	 * @param groupSearchFilter which entries are groups
	 * @param userIdAttribute the attribute that is the login name
	 * @param userFirstNameAttribute the first name, shown in Tasklist
	 * @param userLastNameAttribute the last name, shown in Tasklist
	 * @param userEmailAttribute where reminders go
	 * @param groupIdAttribute the attribute that is the group id the roles name
	 * @param groupNameAttribute the group's display name
	 * @param groupMemberAttribute the attribute of a group that lists its members' DNs
	 * @param bindDn the service account the plugin searches as
	 * @param bindPassword its password (environment or file only)
	 * @param trustStore for {@code ldaps://}: a PKCS12 (or JKS) file with the
	 * certificate(s) that the directory's certificate must chain to; absent: the JVM's
	 * default trust store
	 * @param trustStorePassword the trust store's password
	 * @param testersGroup the directory group whose members approve UAT (the
	 * {@code testers} role)
	 * @param operatorsGroup the directory group whose members are Camunda administrators
	 * and operators (the {@code camunda-admin} role)
	 * @param connectTimeout how long opening a connection to the directory may take
	 * @param readTimeout how long the directory may take to answer one request
	 */
	public record Ldap(
			@NotBlank @Pattern(regexp = "(?i)ldaps?://.+", message = "must be an ldap:// or ldaps:// URL") String url,
			@NotBlank String baseDn, @DefaultValue("") String userSearchBase,
			@DefaultValue("(objectClass=inetOrgPerson)") @Pattern(
					regexp = FILTER, message = FILTER_MESSAGE) String userSearchFilter,
			@DefaultValue("") String groupSearchBase,
			@DefaultValue("(objectClass=groupOfNames)") @Pattern(regexp = FILTER,
					message = FILTER_MESSAGE) String groupSearchFilter,
			@DefaultValue("uid") @Pattern(regexp = ATTRIBUTE, message = ATTRIBUTE_MESSAGE) String userIdAttribute,
			@DefaultValue("givenName") @Pattern(regexp = ATTRIBUTE,
					message = ATTRIBUTE_MESSAGE) String userFirstNameAttribute,
			@DefaultValue("sn") @Pattern(regexp = ATTRIBUTE, message = ATTRIBUTE_MESSAGE) String userLastNameAttribute,
			@DefaultValue("mail") @Pattern(regexp = ATTRIBUTE, message = ATTRIBUTE_MESSAGE) String userEmailAttribute,
			@DefaultValue("cn") @Pattern(regexp = ATTRIBUTE, message = ATTRIBUTE_MESSAGE) String groupIdAttribute,
			@DefaultValue("cn") @Pattern(regexp = ATTRIBUTE, message = ATTRIBUTE_MESSAGE) String groupNameAttribute,
			@DefaultValue("member") @Pattern(regexp = ATTRIBUTE,
					message = ATTRIBUTE_MESSAGE) String groupMemberAttribute,
			@NotBlank String bindDn, @NotNull @NotBlankSecret Secret bindPassword, Path trustStore,
			@NotBlankSecret Secret trustStorePassword,
			@NotBlank @Pattern(regexp = NAME, message = GROUP_MESSAGE) String testersGroup,
			@NotBlank @Pattern(regexp = NAME, message = GROUP_MESSAGE) String operatorsGroup,
			@DefaultValue("5s") Duration connectTimeout, @DefaultValue("10s") Duration readTimeout) {

		static final String FILTER = "\\(.*\\)";

		static final String FILTER_MESSAGE = "must be an LDAP filter in parentheses";

		static final String ATTRIBUTE = "[A-Za-z][A-Za-z0-9-]{0,63}";

		static final String ATTRIBUTE_MESSAGE = "must be an LDAP attribute name";

		static final String GROUP_MESSAGE = "must be a group id: letters, digits, space . _ - (at most 128), "
				+ "without a space at either end";

		@AssertTrue(message = "must be ldaps:// (ldap:// only to a loopback host: 127.0.0.0/8, localhost, ::1), "
				+ "with a host and no path beyond /")
		boolean isUrl() {
			if (this.url == null || !this.url.toLowerCase(Locale.ROOT).matches("ldaps?://.+")) {
				return true; // the pattern says what is wrong
			}
			try {
				URI uri = new URI(this.url);
				if (uri.getHost() == null || uri.getUserInfo() != null || uri.getQuery() != null
						|| (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/"))) {
					return false;
				}
			}
			catch (URISyntaxException ex) {
				return false;
			}
			return this.url.toLowerCase(Locale.ROOT).startsWith("ldaps://")
					|| SecureUrls.isLoopback("http" + this.url.substring("ldap".length()));
		}

		@AssertTrue(message = "must be one LDAP filter: its parentheses balanced, none after the last")
		boolean isUserSearchFilter() {
			return oneFilter(this.userSearchFilter);
		}

		@AssertTrue(message = "must be one LDAP filter: its parentheses balanced, none after the last")
		boolean isGroupSearchFilter() {
			return oneFilter(this.groupSearchFilter);
		}

		/**
		 * Whether a filter the pattern lets through is one filter: the plugin writes it
		 * into {@code (&FILTER(uid=...))}, where {@code (a=b))(|(c=d)} would change what
		 * the login's search means, or fail every login at the directory.
		 */
		static boolean oneFilter(String filter) {
			if (filter == null || !filter.matches(FILTER)) {
				return true; // the pattern says what is wrong
			}
			int depth = 0;
			for (int i = 0; i < filter.length(); i++) {
				char c = filter.charAt(i);
				if (c == '\\') {
					i++; // an escaped character (\28 is written as three)
				}
				else if (c == '(') {
					depth++;
				}
				else if (c == ')') {
					depth--;
					if (depth < 0 || (depth == 0 && i != filter.length() - 1)) {
						return false;
					}
				}
			}
			return depth == 0;
		}

		@AssertTrue(message = "is only for an ldaps:// URL")
		boolean isTrustStore() {
			return this.trustStore == null || this.url == null
					|| this.url.toLowerCase(Locale.ROOT).startsWith("ldaps://");
		}

		@AssertTrue(message = "is missing (required with ops.identity.ldap.trust-store)")
		boolean isTrustStorePassword() {
			return this.trustStore == null || this.trustStorePassword != null;
		}

		@AssertTrue(message = "must differ from ops.identity.ldap.testers-group: a tester is not an operator")
		boolean isOperatorsGroup() {
			return this.operatorsGroup == null || !this.operatorsGroup.equalsIgnoreCase(this.testersGroup);
		}

		@AssertTrue(message = "must be between 1 second and 1 minute")
		boolean isConnectTimeout() {
			return this.connectTimeout == null || within(this.connectTimeout);
		}

		@AssertTrue(message = "must be between 1 second and 1 minute")
		boolean isReadTimeout() {
			return this.readTimeout == null || within(this.readTimeout);
		}

		private static boolean within(Duration duration) {
			return duration.compareTo(Duration.ofSeconds(1)) >= 0 && duration.compareTo(Duration.ofMinutes(1)) <= 0;
		}

		/** The search bases, as the plugin wants them: relative to the base DN. */
		String userBase() {
			return (this.userSearchBase != null) ? this.userSearchBase : "";
		}

		String groupBase() {
			return (this.groupSearchBase != null) ? this.groupSearchBase : "";
		}

	}

}
