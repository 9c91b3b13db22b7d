package au.edu.unimelb.reporting.ops.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import au.edu.unimelb.reporting.ops.nightly.BackupSettings;
import au.edu.unimelb.reporting.ops.notify.NotifySettings;
import au.edu.unimelb.reporting.ops.security.IdentitySettings;
import au.edu.unimelb.reporting.ops.security.MetricsScrapeSettings;
import au.edu.unimelb.reporting.ops.security.SecuritySettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each bad setting stops the start with one line that names it. The settings are bound
 * exactly as at start (Spring's binder and Bean Validation), without the engine.
 */
class SettingsValidationTest {

	/** A complete, valid QA environment; each case below breaks one value. */
	static final String[] VALID_QA = { "ops.environments.qa.cloud.auth-url=http://127.0.0.1:5000/v3",
			"ops.environments.qa.cloud.project-name=reporting", "ops.environments.qa.cloud.user-name=deployer",
			"ops.environments.qa.cloud.password=cloud-secret-1", "ops.environments.qa.stack.prefix=reporting_qa_",
			"ops.environments.qa.web-front.host=127.0.0.1", "ops.environments.qa.web-front.port=2222",
			"ops.environments.qa.web-front.user=deploy",
			"ops.environments.qa.web-front.private-key-path=/etc/reporting-ops/id_ed25519",
			"ops.environments.qa.web-front.known-hosts-path=/etc/reporting-ops/known_hosts",
			"ops.environments.qa.web-front.public-url=https://internal.example.edu.au/",
			"ops.environments.qa.database.host=127.0.0.1", "ops.environments.qa.database.name=reporting_qa",
			"ops.environments.qa.database.user=reporting", "ops.environments.qa.database.password=db-secret-22" };

	static final String ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIL2JMN0SPp+YdEiV7d/YOjtI1w67KdgHSt+lpl/CkAUr";

	static final String[] VALID_BACKUP = { "ops.backup.enabled=true",
			"ops.backup.target-url-prefix=file:///srv/backup/rep", "ops.backup.gpg-key-id=0123456789ABCDEF",
			"ops.backup.gpg-passphrase=gpg-secret-333", "ops.backup.gnupg-home=/var/lib/reporting-ops/gnupg" };

	/** A complete directory; each case below breaks one value. */
	static final String[] VALID_LDAP = { "ops.identity.mode=ldap", "ops.identity.ldap.url=ldaps://ldap.example.edu.au",
			"ops.identity.ldap.base-dn=dc=example,dc=edu,dc=au", "ops.identity.ldap.user-search-base=ou=people",
			"ops.identity.ldap.group-search-base=ou=groups",
			"ops.identity.ldap.bind-dn=cn=reporting-ops,ou=services,dc=example,dc=edu,dc=au",
			"ops.identity.ldap.bind-password=bind-secret-55", "ops.identity.ldap.testers-group=reporting-uat",
			"ops.identity.ldap.operators-group=reporting-ops-admins" };

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
		.withUserConfiguration(AllSettings.class)
		.withPropertyValues("ops.data-dir=./data", "ops.time-zone=Australia/Melbourne");

	@Test
	void acceptsCompleteSettings() {
		this.runner.withPropertyValues(concat(VALID_QA, VALID_BACKUP)).run((context) -> {
			assertThat(context).hasNotFailed();
			EnvironmentsSettings environments = context.getBean(EnvironmentsSettings.class);
			assertThat(environments.find("qa")).isPresent();
			assertThat(environments.find("prod")).isEmpty();
			assertThat(environments.find("staging")).isEmpty();
			assertThat(environments.qa().stack().keepPrevious()).isEqualTo(1);
			assertThat(environments.qa().cloud().password().reveal()).isEqualTo("cloud-secret-1");
			assertThat(environments.qa().appServer()).as("defaults, for configurations written before it")
				.isEqualTo(new EnvironmentsSettings.AppServerSettings("reporting",
						java.nio.file.Path.of("/etc/reporting-ops/ssh/id_ed25519"), 22, "/etc/reporting/db-password",
						".ssh/authorized_keys2", List.of(), 30));
			assertThat(context.getBean(BackupSettings.class).secrets()).extracting(Secret::reveal)
				.contains("gpg-secret-333");
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "https://keystone.example:5000/v3", "http://127.0.0.1:5000/v3", "http://127.9.8.7:5000/v3",
			"http://localhost:5000/v3", "http://[::1]:5000/v3" })
	void acceptsAnHttpsCloudOrPlainHttpOnLoopback(String authUrl) {
		this.runner.withPropertyValues(VALID_QA)
			.withPropertyValues("ops.environments.qa.cloud.auth-url=" + authUrl)
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void takesTheAppServersUserKeyFilesAndExtraKeys() {
		this.runner.withPropertyValues(VALID_QA)
			.withPropertyValues("ops.environments.qa.app-server.user=reporting_app",
					"ops.environments.qa.app-server.ssh-port=2222",
					"ops.environments.qa.app-server.password-file=/srv/reporting/secrets/db-password",
					"ops.environments.qa.app-server.authorized-keys-file=/srv/reporting/.ssh/extra_keys",
					"ops.environments.qa.app-server.extra-authorized-keys[0]=" + ED25519 + " tess@laptop",
					"ops.environments.qa.app-server.extra-authorized-keys[1]=" + ED25519)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				EnvironmentsSettings.AppServerSettings app = context.getBean(EnvironmentsSettings.class)
					.qa()
					.appServer();
				assertThat(app.user()).isEqualTo("reporting_app");
				assertThat(app.sshPort()).isEqualTo(2222);
				assertThat(app.extraAuthorizedKeys()).containsExactly(ED25519 + " tess@laptop", ED25519);
			});
	}

	@Test
	void ignoresASettingItDoesNotRead() {
		// web-front.include-file-path was required once and never read; configurations
		// that still set it start as before
		this.runner.withPropertyValues(VALID_QA)
			.withPropertyValues("ops.environments.qa.web-front.include-file-path=/etc/nginx/reporting/qa-upstream.conf")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void acceptsADirectoryAndKeepsItsPasswordSecret() {
		this.runner.withPropertyValues(VALID_LDAP).run((context) -> {
			assertThat(context).hasNotFailed();
			IdentitySettings identity = context.getBean(IdentitySettings.class);
			assertThat(identity.isLdapMode()).isTrue();
			assertThat(identity.ldap().userIdAttribute()).as("default").isEqualTo("uid");
			assertThat(identity.ldap().connectTimeout()).as("default").hasSeconds(5);
			assertThat(identity.secrets()).extracting(Secret::reveal).containsExactly("bind-secret-55");
			assertThat(identity.toString()).doesNotContain("bind-secret-55");
		});
	}

	@Test
	void configuredIdentityIsTheDefault() {
		this.runner.run((context) -> assertThat(context.getBean(IdentitySettings.class).isLdapMode()).isFalse());
	}

	@Test
	void ldapModeNeedsItsDirectory() {
		this.runner.withPropertyValues("ops.identity.mode=ldap").run((context) -> {
			List<String> lines = new SettingsFailureAnalyzer().analyze(context.getStartupFailure())
				.getDescription()
				.lines()
				.toList();
			assertThat(lines)
				.containsExactly("Setting ops.identity.ldap is missing (required when ops.identity.mode is ldap)");
		});
	}

	static Stream<Arguments> badDirectorySettings() {
		return Stream.of(bad("ops.identity.mode=active-directory", "Setting ops.identity.mode is malformed: "),
				bad("ops.identity.ldap.url=https://ldap.example.edu.au",
						"Setting ops.identity.ldap.url must be an ldap:// or ldaps:// URL"),
				bad("ops.identity.ldap.url=ldap://ldap.example.edu.au",
						"Setting ops.identity.ldap.url must be ldaps:// (ldap:// only to a loopback host"),
				bad("ops.identity.ldap.url=ldaps://ldap.example.edu.au/dc=other",
						"Setting ops.identity.ldap.url must be ldaps:// (ldap:// only to a loopback host: 127.0.0.0/8, "
								+ "localhost, ::1), with a host and no path beyond /"),
				bad("ops.identity.ldap.base-dn=", "Setting ops.identity.ldap.base-dn is missing"),
				bad("ops.identity.ldap.bind-password=", "Setting ops.identity.ldap.bind-password is empty"),
				bad("ops.identity.ldap.user-search-filter=objectClass=person",
						"Setting ops.identity.ldap.user-search-filter must be an LDAP filter in parentheses"),
				bad("ops.identity.ldap.user-search-filter=(objectClass=person))(|(uid=*)",
						"Setting ops.identity.ldap.user-search-filter must be one LDAP filter: its parentheses "
								+ "balanced"),
				bad("ops.identity.ldap.group-search-filter=(objectClass=groupOfNames)(cn=*)",
						"Setting ops.identity.ldap.group-search-filter must be one LDAP filter"),
				bad("ops.identity.ldap.group-search-filter=((objectClass=groupOfNames)",
						"Setting ops.identity.ldap.group-search-filter must be one LDAP filter"),
				bad("ops.identity.ldap.url=ldap://127.0.0.1:389 ldap://ldap.example.edu.au:389",
						"Setting ops.identity.ldap.url must be ldaps:// (ldap:// only to a loopback host"),
				bad("ops.identity.ldap.operators-group=reporting-ops-admins)(cn=*",
						"Setting ops.identity.ldap.operators-group must be a group id"),
				bad("ops.identity.ldap.user-id-attribute=uid)(cn=*",
						"Setting ops.identity.ldap.user-id-attribute must be an LDAP attribute name"),
				bad("ops.identity.ldap.testers-group=uat*)(cn=*",
						"Setting ops.identity.ldap.testers-group must be a group id"),
				bad("ops.identity.ldap.operators-group=reporting-uat",
						"Setting ops.identity.ldap.operators-group must differ from ops.identity.ldap.testers-group"),
				bad("ops.identity.ldap.trust-store=/etc/reporting-ops/ldap-trust.p12",
						"Setting ops.identity.ldap.trust-store-password is missing (required with "
								+ "ops.identity.ldap.trust-store)"),
				bad("ops.identity.ldap.read-timeout=0s",
						"Setting ops.identity.ldap.read-timeout must be between 1 second and 1 minute"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badDirectorySettings")
	void refusesABadDirectorySettingWithOneClearLine(String setting, String expectedLine) {
		this.runner.withPropertyValues(VALID_LDAP).withPropertyValues(setting).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new SettingsFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis).as("a settings failure is recognised").isNotNull();
			List<String> lines = analysis.getDescription().lines().toList();
			assertThat(lines).as("one line names the bad setting").hasSize(1);
			assertThat(lines.get(0)).startsWith(expectedLine).doesNotContain("bind-secret-55");
		});
	}

	@Test
	void refusesAPlainLdapUrlToAnotherMachineButNotToLoopback() {
		this.runner.withPropertyValues(VALID_LDAP)
			.withPropertyValues("ops.identity.ldap.url=ldap://127.0.0.1:3389")
			.run((context) -> assertThat(context).hasNotFailed());
		this.runner.withPropertyValues(VALID_LDAP)
			.withPropertyValues("ops.identity.ldap.url=ldap://127.0.0.1.ldap.example.edu.au:389")
			.run((context) -> assertThat(context).hasFailed());
		this.runner.withPropertyValues(VALID_LDAP)
			.withPropertyValues("ops.identity.ldap.url=ldaps://127.0.0.1:3389",
					"ops.identity.ldap.trust-store=/etc/reporting-ops/ldap-trust.p12",
					"ops.identity.ldap.trust-store-password=trust-secret-66")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void startsWithNothingConfigured() {
		this.runner.run((context) -> assertThat(context).hasNotFailed());
	}

	static Stream<Arguments> badSettings() {
		return Stream.of(bad("ops.environments.qa.web-front.port=70000",
				"Setting ops.environments.qa.web-front.port must be less than or equal to 65535 (it is '70000')"),
				bad("ops.environments.qa.web-front.port=ssh",
						"Setting ops.environments.qa.web-front.port is malformed: "),
				bad("ops.environments.qa.cloud.password=", "Setting ops.environments.qa.cloud.password is empty"),
				bad("ops.environments.qa.cloud.auth-url=keystone:5000",
						"Setting ops.environments.qa.cloud.auth-url must be an http(s) URL (it is 'keystone:5000')"),
				bad("ops.environments.qa.cloud.auth-url=http://keystone.example:5000/v3",
						"Setting ops.environments.qa.cloud.auth-url must be an https URL (http only for a loopback host"),
				bad("ops.environments.qa.cloud.auth-url=http://127.0.0.1.keystone.example:5000/v3",
						"Setting ops.environments.qa.cloud.auth-url must be an https URL"),
				bad("ops.environments.qa.cloud.auth-url=http://127.0.0.1@keystone.example:5000/v3",
						"Setting ops.environments.qa.cloud.auth-url must be an https URL"),
				bad("ops.environments.qa.cloud.endpoint-overrides.orchestration=http://heat.example:8004",
						"Setting ops.environments.qa.cloud.endpoint-overrides must map orchestration or compute"),
				bad("ops.environments.qa.cloud.endpoint-overrides.orchestration=https://heat.example:8004/v1",
						"Setting ops.environments.qa.cloud.endpoint-overrides must map orchestration or compute"),
				bad("ops.environments.qa.cloud.endpoint-overrides.identity=https://keystone.example:5000",
						"Setting ops.environments.qa.cloud.endpoint-overrides must map orchestration or compute"),
				bad("ops.environments.qa.stack.prefix=qa;rm -rf /",
						"Setting ops.environments.qa.stack.prefix must start with a letter"),
				bad("ops.environments.qa.stack.template=../../etc/passwd",
						"Setting ops.environments.qa.stack.template must be the file name of a template under heat/"),
				bad("ops.environments.qa.stack.keep-previous=-1",
						"Setting ops.environments.qa.stack.keep-previous must be greater than or equal to 0"),
				bad("ops.environments.qa.database.name=Reporting-QA",
						"Setting ops.environments.qa.database.name must be a plain PostgreSQL name"),
				bad("ops.environments.qa.app-server.password-file=etc/reporting/db-password",
						"Setting ops.environments.qa.app-server.password-file must be a plain absolute path"),
				bad("ops.environments.qa.app-server.password-file=/etc/reporting/../../root/.profile",
						"Setting ops.environments.qa.app-server.password-file must be a plain absolute path"),
				bad("ops.environments.qa.app-server.password-file=/etc/reporting/db password; id",
						"Setting ops.environments.qa.app-server.password-file must be a plain absolute path"),
				bad("ops.environments.qa.app-server.authorized-keys-file=.ssh/../../x",
						"Setting ops.environments.qa.app-server.authorized-keys-file must be a plain path"),
				bad("ops.environments.qa.app-server.extra-authorized-keys[0]=command=\"id\" " + ED25519,
						"Setting ops.environments.qa.app-server.extra-authorized-keys[0] must be one OpenSSH public key line"),
				bad("ops.environments.qa.app-server.extra-authorized-keys[0]=hello world",
						"Setting ops.environments.qa.app-server.extra-authorized-keys[0] must be one OpenSSH public key line"),
				bad("ops.environments.qa.app-server.user=Root User",
						"Setting ops.environments.qa.app-server.user must be a Unix user name"),
				bad("ops.environments.qa.app-server.ssh-port=0",
						"Setting ops.environments.qa.app-server.ssh-port must be greater than or equal to 1"),
				bad("ops.environments.qa.app-server.timeout-seconds=0",
						"Setting ops.environments.qa.app-server.timeout-seconds must be greater than or equal to 1"),
				bad("ops.environments.qa.health-path=health",
						"Setting ops.environments.qa.health-path must be a URL path starting with /"),
				bad("ops.backup.cron=every night", "Setting ops.backup.cron is not a 6-field Spring cron expression"),
				bad("ops.backup.cron=0 30 1 * *", "Setting ops.backup.cron is not a 6-field Spring cron expression"),
				bad("ops.backup.monthly-on=31",
						"Setting ops.backup.monthly-on must be less than or equal to 28 (it is '31')"),
				bad("ops.backup.weekly-on=someday", "Setting ops.backup.weekly-on is malformed: "),
				bad("ops.backup.target-url-prefix=s3://bucket",
						"Setting ops.backup.target-url-prefix must be a swift:// or file:// URL"),
				bad("ops.backup.target-url-prefix=swift://reporting",
						"Setting ops.backup.swift is missing (required when ops.backup.target-url-prefix is a swift:// URL)"),
				bad("ops.backup.gpg-key-id=me@example.org",
						"Setting ops.backup.gpg-key-id must be a 16-digit long key id or a 40-digit fingerprint"),
				bad("ops.backup.minimum-kept=0", "Setting ops.backup.minimum-kept must be greater than or equal to 1"),
				bad("ops.backup.restore-maintenance-work-mem=512kB",
						"Setting ops.backup.restore-maintenance-work-mem must be between 1MB and 2047GB"),
				bad("ops.backup.restore-maintenance-work-mem=4096GB",
						"Setting ops.backup.restore-maintenance-work-mem must be between 1MB and 2047GB"),
				bad("ops.backup.restore-maintenance-work-mem=512MB -c fsync=off",
						"Setting ops.backup.restore-maintenance-work-mem must be a PostgreSQL size"),
				bad("ops.backup.time-zone=Mars/Olympus", "Setting ops.backup.time-zone is malformed: "),
				bad("ops.security.admin-id=Admin Root", "Setting ops.security.admin-id must be a user id"),
				bad("ops.metrics.scrape-id=Prom Etheus", "Setting ops.metrics.scrape-id must be a user id"),
				bad("ops.metrics.scrape-password=short-pw",
						"Setting ops.metrics.scrape-password must have at least 16 characters"),
				bad("ops.metrics.scrape-password=", "Setting ops.metrics.scrape-password is empty"),
				bad("ops.security.testers[0].id=tess", "Setting ops.security.testers[0].password is missing"),
				bad("ops.time-zone=", "Setting ops.time-zone is missing"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badSettings")
	void refusesBadSettingWithOneClearLine(String setting, String expectedLine) {
		this.runner.withPropertyValues(concat(VALID_QA, VALID_BACKUP)).withPropertyValues(setting).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new SettingsFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis).as("a settings failure is recognised").isNotNull();
			List<String> lines = analysis.getDescription().lines().toList();
			assertThat(lines).as("one line names the bad setting").hasSize(1);
			assertThat(lines.get(0)).startsWith(expectedLine);
		});
	}

	/** Notifications on, complete; each case below breaks one value. */
	static final String[] VALID_NOTIFY = { "ops.notify.public-url=https://ops.example.edu.au",
			"ops.notify.operators[0]=ops-team@example.edu.au", "ops.notify.mail.host=smtp.example.edu.au",
			"ops.notify.mail.from=reporting-ops@example.edu.au",
			"ops.notify.webhook-url=https://hooks.example.com/services/T0/B0/hook-token-777" };

	@Test
	void acceptsCompleteNotifySettings() {
		this.runner.withPropertyValues(VALID_NOTIFY).run((context) -> {
			assertThat(context).hasNotFailed();
			NotifySettings notify = context.getBean(NotifySettings.class);
			assertThat(notify.mailOn()).isTrue();
			assertThat(notify.mail().starttls()).isTrue();
		});
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "ops.notify.mail.host=127.0.0.1", "ops.notify.mail.host=localhost",
			"ops.notify.mail.host=::1" })
	void allowsAPlainRelayOnThisMachine(String host) {
		this.runner.withPropertyValues(VALID_NOTIFY)
			.withPropertyValues(host, "ops.notify.mail.starttls=false", "ops.notify.mail.port=25")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	static Stream<Arguments> badNotifySettings() {
		return Stream.of(
				bad("ops.notify.mail.host=smtp example.edu.au",
						"Setting ops.notify.mail.host must be a host name or an IP address"),
				bad("ops.notify.mail.host=smtp.example.edu.au:25",
						"Setting ops.notify.mail.host must be a host name or an IP address"),
				bad("ops.notify.mail.port=0", "Setting ops.notify.mail.port must be greater than or equal to 1"),
				bad("ops.notify.mail.from=reporting-ops",
						"Setting ops.notify.mail.from must be a well-formed email address"),
				bad("ops.notify.mail.from=", "Setting ops.notify.mail.from must be set when ops.notify.mail.host is"),
				bad("ops.notify.mail.starttls=false",
						"Setting ops.notify.mail.starttls must be true unless the mail host is a loopback address"),
				bad("ops.notify.public-url=ftp://ops.example.edu.au",
						"Setting ops.notify.public-url must be an http(s) URL"),
				bad("ops.notify.public-url=https://ops.example.edu.au/",
						"Setting ops.notify.public-url must be an http(s) URL"),
				bad("ops.notify.public-url=https://evil.example#",
						"Setting ops.notify.public-url must be an http(s) URL"),
				bad("ops.notify.public-url=https://ops.example.edu.au?next=https://evil.example",
						"Setting ops.notify.public-url must be an http(s) URL"),
				bad("ops.notify.public-url=https://me@evil.example",
						"Setting ops.notify.public-url must be an http(s) URL"),
				bad("ops.notify.public-url=", "Setting ops.notify.public-url must be an http(s) URL"),
				bad("ops.notify.operators[0]=ops team", "Setting ops.notify.operators[0] must be a well-formed email"),
				bad("ops.notify.operators[0]=Ops <ops@example.edu.au>",
						"Setting ops.notify.operators[0] must be a well-formed email"),
				bad("ops.notify.webhook-url=http://hooks.example.com/services/T0/B0/hook-token-777",
						"Setting ops.notify.webhook-url must be an https URL"),
				bad("ops.notify.attempts=0", "Setting ops.notify.attempts must be greater than or equal to 1"),
				bad("ops.notify.webhook-url=https://hooks.example.com/services/T0/B0/hook token-777",
						"Setting ops.notify.webhook-url must be an https URL with a host"),
				bad("ops.notify.webhook-url=https:///services/T0/B0/hook-token-777",
						"Setting ops.notify.webhook-url must be an https URL with a host"),
				bad("ops.notify.backoff=PT11M", "Setting ops.notify.backoff must be between 0 and 10 minutes"),
				bad("ops.notify.attempts=10", "Setting ops.notify.backoff must be between 0 and 10 minutes, and the"),
				bad("ops.notify.timeout=PT0S", "Setting ops.notify.timeout must be between 1 second and 2 minutes"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badNotifySettings")
	void refusesABadNotifySettingWithOneClearLine(String setting, String expectedLine) {
		this.runner.withPropertyValues(VALID_NOTIFY).withPropertyValues(setting).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new SettingsFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis).as("a settings failure is recognised").isNotNull();
			List<String> lines = analysis.getDescription().lines().toList();
			assertThat(lines).as("one line names the bad setting").hasSize(1);
			assertThat(lines.get(0)).startsWith(expectedLine)
				.doesNotContain("hook-token-777")
				.doesNotContain("token-777");
		});
	}

	@Test
	void reportsBackupSettingsThatAreRequiredOnlyWhenEnabled() {
		this.runner.withPropertyValues("ops.backup.enabled=true").run((context) -> {
			List<String> lines = new SettingsFailureAnalyzer().analyze(context.getStartupFailure())
				.getDescription()
				.lines()
				.toList();
			assertThat(lines).containsExactly(
					"Setting ops.backup.gnupg-home is missing (required when ops.backup.enabled is true)",
					"Setting ops.backup.gpg-key-id is missing (required when ops.backup.enabled is true)",
					"Setting ops.backup.gpg-passphrase is missing (required when ops.backup.enabled is true)",
					"Setting ops.backup.target-url-prefix is missing (required when ops.backup.enabled is true)");
		});
	}

	@Test
	void neverShowsASecretValueInTheMessage() {
		this.runner.withPropertyValues(VALID_QA)
			.withPropertyValues("ops.backup.swift.auth-url=http://swift/auth", "ops.backup.swift.user=test:tester",
					"ops.backup.swift.key=swift-secret-4444", "ops.backup.swift.auth-version=9")
			.run((context) -> {
				String description = new SettingsFailureAnalyzer().analyze(context.getStartupFailure())
					.getDescription();
				assertThat(description)
					.contains("Setting ops.backup.swift.auth-version must be less than or equal to 3")
					.doesNotContain("swift-secret-4444")
					.doesNotContain("cloud-secret-1")
					.doesNotContain("db-secret-22");
			});
	}

	@Test
	void secretsHideTheirValue() {
		Secret secret = Secret.of("hunter22-long");
		assertThat(secret).hasToString("******");
		assertThat(String.valueOf(List.of(secret))).doesNotContain("hunter22");
		assertThat(secret.reveal()).isEqualTo("hunter22-long");
	}

	private static Arguments bad(String setting, String expectedLine) {
		return Arguments.of(setting, expectedLine);
	}

	private static String[] concat(String[]... parts) {
		List<String> all = new ArrayList<>();
		for (String[] part : parts) {
			all.addAll(Arrays.asList(part));
		}
		return all.toArray(String[]::new);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties({ ServiceSettings.class, EnvironmentsSettings.class, BackupSettings.class,
			SecuritySettings.class, IdentitySettings.class, NotifySettings.class, MetricsScrapeSettings.class })
	static class AllSettings {

	}

}
