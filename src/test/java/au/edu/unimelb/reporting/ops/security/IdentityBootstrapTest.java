package au.edu.unimelb.reporting.ops.security;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

import au.edu.unimelb.reporting.ops.config.InvalidSettingException;
import au.edu.unimelb.reporting.ops.config.Secret;
import au.edu.unimelb.reporting.ops.config.ServiceSettings;
import au.edu.unimelb.reporting.ops.security.IdentitySettings.Ldap;
import au.edu.unimelb.reporting.ops.security.IdentitySettings.Mode;
import au.edu.unimelb.reporting.ops.security.SecuritySettings.Tester;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.ProcessDefinitionPermissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.filter.Filter;
import org.camunda.bpm.engine.impl.TaskQueryImpl;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdentityBootstrapTest {

	private final ServiceSettings service = new ServiceSettings(Path.of("data"), ZoneId.of("UTC"), "");

	private static final IdentitySettings CONFIGURED = new IdentitySettings(Mode.CONFIGURED, null);

	@Test
	void prodProfileRefusesToStartWithoutAnAdminPassword() {
		SecuritySettings settings = new SecuritySettings("admin", null, "jenkins", Secret.of("jenkins-pw-123"),
				List.of());
		assertThatThrownBy(() -> bootstrap(settings, CONFIGURED, prod())).isInstanceOf(InvalidSettingException.class)
			.hasMessage("Setting ops.security.admin-password is missing: the prod profile never starts without it");
	}

	@Test
	void prodProfileRefusesToStartWithoutAJenkinsPassword() {
		SecuritySettings settings = new SecuritySettings("admin", Secret.of("admin-pw-123"), "jenkins", null,
				List.of());
		assertThatThrownBy(() -> bootstrap(settings, CONFIGURED, prod()))
			.hasMessage("Setting ops.security.jenkins-password is missing: the prod profile never starts without it");
	}

	@Test
	void otherProfilesStartWithoutPasswords() {
		SecuritySettings settings = new SecuritySettings("admin", null, "jenkins", null, List.of());
		assertThatCode(() -> bootstrap(settings, CONFIGURED, new MockEnvironment())).doesNotThrowAnyException();
	}

	@Test
	void ldapModeInProdNeedsNoPasswordsHere() {
		SecuritySettings settings = new SecuritySettings("admin", null, "jenkins", null, List.of());
		assertThatCode(() -> bootstrap(settings, ldap(), prod())).doesNotThrowAnyException();
	}

	@Test
	void ldapModeRefusesUsersConfiguredHereThatItWouldIgnore() {
		assertThatThrownBy(
				() -> bootstrap(new SecuritySettings("admin", Secret.of("admin-pw-123"), "jenkins", null, List.of()),
						ldap(), new MockEnvironment()))
			.hasMessage("Setting ops.security.admin-password is not used when ops.identity.mode is ldap (operators "
					+ "are the members of ops.identity.ldap.operators-group): remove it");
		assertThatThrownBy(
				() -> bootstrap(new SecuritySettings("admin", null, "jenkins", Secret.of("jenkins-pw-123"), List.of()),
						ldap(), new MockEnvironment()))
			.hasMessageStartingWith("Setting ops.security.jenkins-password is not used when ops.identity.mode is ldap");
		assertThatThrownBy(() -> bootstrap(
				new SecuritySettings("admin", null, "jenkins", null,
						List.of(new Tester("tess", Secret.of("tess-pw-123"), null, null, null))),
				ldap(), new MockEnvironment()))
			.hasMessageStartingWith("Setting ops.security.testers is not used when ops.identity.mode is ldap");
	}

	@Test
	void ldapModeCreatesNoUserOrGroupAndGrantsTheMappedGroupsAndJenkins() {
		IdentityBootstrap bootstrap = bootstrap(new SecuritySettings("admin", null, "svc-jenkins", null, List.of()),
				ldap(), new MockEnvironment());
		ProcessEngine engine = engineWith(bootstrap);
		try {
			assertThat(engine.getIdentityService().createUserQuery().count()).as("users").isZero();
			assertThat(engine.getIdentityService().createGroupQuery().count()).as("groups").isZero();
			AuthorizationService authorizations = engine.getAuthorizationService();
			assertThat(authorizations.createAuthorizationQuery()
				.groupIdIn("uat-testers")
				.resourceType(Resources.APPLICATION)
				.resourceId("tasklist")
				.hasPermission(Permissions.ACCESS)
				.count()).as("testers open Tasklist").isOne();
			assertThat(authorizations.createAuthorizationQuery()
				.groupIdIn("uat-testers")
				.resourceType(Resources.PROCESS_DEFINITION)
				.resourceId("release")
				.hasPermission(Permissions.READ)
				.count()).as("testers read the release").isOne();
			assertThat(authorizations.createAuthorizationQuery()
				.groupIdIn("ops-admins")
				.resourceType(Resources.DEPLOYMENT)
				.resourceId(Authorization.ANY)
				.hasPermission(Permissions.ALL)
				.count()).as("operators may do everything").isOne();
			assertThat(authorizations.createAuthorizationQuery().groupIdIn("testers", "camunda-admin").count())
				.as("nothing for the configured mode's groups")
				.isZero();
			assertThat(authorizations.createAuthorizationQuery()
				.userIdIn("svc-jenkins")
				.resourceType(Resources.PROCESS_DEFINITION)
				.resourceId("release")
				.hasPermission(ProcessDefinitionPermissions.CREATE_INSTANCE)
				.count()).as("the directory's Jenkins account starts releases").isOne();
			Filter filter = engine.getFilterService()
				.createFilterQuery()
				.filterName(IdentitySetup.UAT_FILTER_NAME)
				.singleResult();
			assertThat(((TaskQueryImpl) filter.getQuery()).getCandidateGroup()).isEqualTo("uat-testers");
			assertThat(authorizations.createAuthorizationQuery()
				.groupIdIn("uat-testers")
				.resourceType(Resources.FILTER)
				.resourceId(filter.getId())
				.count()).isOne();
			assertThat(((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration()).getAdminGroups())
				.as("the operators are the engine's only admins: a directory group named camunda-admin is nobody")
				.containsExactly("ops-admins");
		}
		finally {
			engine.close();
		}
	}

	@Test
	void configuredModeKeepsItsGroupsAndAdmins() {
		IdentityBootstrap bootstrap = bootstrap(
				new SecuritySettings("admin", Secret.of("admin-pw-123"), "jenkins", Secret.of("jenkins-pw-123"),
						List.of(new Tester("tess", Secret.of("tess-pw-123"), null, null, null))),
				CONFIGURED, new MockEnvironment());
		ProcessEngine engine = engineWith(bootstrap);
		try {
			assertThat(engine.getIdentityService().createUserQuery().memberOfGroup("testers").list()).extracting("id")
				.containsExactly("tess");
			assertThat(engine.getIdentityService().createUserQuery().memberOfGroup("camunda-admin").list())
				.extracting("id")
				.containsExactly("admin");
			assertThat(((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration()).getAdminGroups())
				.containsExactly("camunda-admin");
		}
		finally {
			engine.close();
		}
	}

	private IdentityBootstrap bootstrap(SecuritySettings settings, IdentitySettings identity,
			MockEnvironment environment) {
		IdentityRoles roles = identity.isLdapMode()
				? new IdentityRoles(identity.ldap().testersGroup(), identity.ldap().operatorsGroup())
				: IdentityRoles.CONFIGURED;
		return new IdentityBootstrap(settings, identity, roles, this.service, environment);
	}

	private static ProcessEngine engineWith(IdentityBootstrap bootstrap) {
		ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) ProcessEngineConfiguration
			.createStandaloneInMemProcessEngineConfiguration()
			.setJdbcUrl("jdbc:h2:mem:bootstrap-" + UUID.randomUUID())
			.setProcessEngineName("bootstrap-" + UUID.randomUUID())
			.setJobExecutorActivate(false);
		configuration.setAuthorizationEnabled(true);
		configuration.getProcessEnginePlugins().add(bootstrap);
		return configuration.buildProcessEngine();
	}

	static IdentitySettings ldap() {
		return new IdentitySettings(Mode.LDAP,
				new Ldap("ldap://127.0.0.1:3890", "dc=example,dc=org", "ou=people", "(objectClass=inetOrgPerson)",
						"ou=groups", "(objectClass=groupOfNames)", "uid", "givenName", "sn", "mail", "cn", "cn",
						"member", "cn=reporting-ops,ou=services,dc=example,dc=org", Secret.of("bind-pw-123"), null,
						null, "uat-testers", "ops-admins", java.time.Duration.ofSeconds(5),
						java.time.Duration.ofSeconds(10)));
	}

	private static MockEnvironment prod() {
		MockEnvironment environment = new MockEnvironment();
		environment.setActiveProfiles("prod");
		return environment;
	}

}
