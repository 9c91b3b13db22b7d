package au.edu.unimelb.reporting.ops.security;

import java.util.ArrayList;
import java.util.List;

import au.edu.unimelb.reporting.ops.config.InvalidSettingException;
import au.edu.unimelb.reporting.ops.config.Secret;
import au.edu.unimelb.reporting.ops.config.ServiceSettings;
import au.edu.unimelb.reporting.ops.security.SecuritySettings.Tester;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.stereotype.Component;

/**
 * Brings the engine's users, groups and authorizations in line with the settings right
 * after the engine is built, before it serves a request or runs a job.
 * <ul>
 * <li>{@code configured} mode: users and groups from {@link SecuritySettings}. No default
 * user or password exists: without a configured administrator password, a first start
 * generates one into the data directory (refused in the {@code prod} profile).</li>
 * <li>{@code ldap} mode: the directory is read-only, so no user or group is created; the
 * mapped directory groups ({@link IdentityRoles}) and the Jenkins account (a directory
 * user) get their authorizations, and the operators' group becomes the engine's only
 * admin group. Users configured in {@code ops.security} would be ignored, so they are
 * refused.</li>
 * </ul>
 */
@Component
class IdentityBootstrap extends AbstractProcessEnginePlugin {

	private static final Logger log = LoggerFactory.getLogger(IdentityBootstrap.class);

	private final SecuritySettings settings;

	private final ServiceSettings service;

	private final IdentitySettings identity;

	private final IdentityRoles roles;

	IdentityBootstrap(SecuritySettings settings, IdentitySettings identity, IdentityRoles roles,
			ServiceSettings service, Environment environment) {
		this.settings = settings;
		this.identity = identity;
		this.roles = roles;
		this.service = service;
		if (identity.isLdapMode()) {
			refuseInLdapMode(settings.adminPassword() != null, "ops.security.admin-password",
					"operators are the members of ops.identity.ldap.operators-group");
			refuseInLdapMode(settings.jenkinsPassword() != null, "ops.security.jenkins-password",
					"Jenkins logs in with its directory password");
			refuseInLdapMode(!settings.testers().isEmpty(), "ops.security.testers",
					"testers are the members of ops.identity.ldap.testers-group");
		}
		else if (environment.acceptsProfiles(Profiles.of("prod"))) {
			requireInProd(settings.adminPassword(), "ops.security.admin-password");
			requireInProd(settings.jenkinsPassword(), "ops.security.jenkins-password");
		}
	}

	/**
	 * In {@code ldap} mode the operators' group is the engine's admin group, and
	 * {@code camunda-admin} is not: a directory group of that name gets no rights it was
	 * not mapped to.
	 */
	@Override
	public void postInit(ProcessEngineConfigurationImpl configuration) {
		if (this.identity.isLdapMode()) {
			configuration.setAdminGroups(new ArrayList<>(List.of(this.roles.operatorsGroup())));
		}
	}

	@Override
	public void postProcessEngineBuild(ProcessEngine engine) {
		IdentitySetup setup = new IdentitySetup(engine.getIdentityService(), engine.getAuthorizationService(),
				engine.getFilterService(), engine.getTaskService(), this.roles);
		if (this.identity.isLdapMode()) {
			setup.grantGroups();
			setup.grantJenkins(this.settings.jenkinsId());
			log.info("Identity from the directory: {}; Jenkins is directory user '{}'", this.roles,
					this.settings.jenkinsId());
			return;
		}
		setup.ensureGroups();
		ensureAdmin(setup);
		ensureJenkins(setup);
		for (Tester tester : this.settings.testers()) {
			IdentitySetup.Change change = setup.ensureUser(tester.id(), tester.password().reveal(), tester.firstName(),
					tester.lastName(), tester.email());
			setup.ensureMembership(tester.id(), this.roles.testersGroup());
			report("Tester", tester.id(), change);
		}
	}

	private void ensureAdmin(IdentitySetup setup) {
		String id = this.settings.adminId();
		Secret password = this.settings.adminPassword();
		if (password == null && !setup.userExists(id)) {
			InitialAdminPassword.Generated generated = InitialAdminPassword.generate(this.service.dataDir());
			setup.ensureUser(id, generated.password(), "Administrator", null, null);
			log.warn("No ops.security.admin-password is configured: created user '{}' with a generated password, "
					+ "stored in {} (readable by this user only). Log in to Cockpit with it, then configure "
					+ "OPS_SECURITY_ADMIN_PASSWORD.", id, generated.file());
		}
		else {
			report("Administrator", id, setup.ensureUser(id, reveal(password), "Administrator", null, null));
		}
		setup.ensureMembership(id, this.roles.operatorsGroup());
	}

	private void ensureJenkins(IdentitySetup setup) {
		String id = this.settings.jenkinsId();
		Secret password = this.settings.jenkinsPassword();
		if (password == null && !setup.userExists(id)) {
			log.info("No ops.security.jenkins-password is configured: user '{}' is not created, so Jenkins cannot "
					+ "start releases yet", id);
			return;
		}
		report("Jenkins user", id, setup.ensureUser(id, reveal(password), "Jenkins", null, null));
		setup.grantJenkins(id);
	}

	private static String reveal(Secret secret) {
		return (secret != null) ? secret.reveal() : null;
	}

	private static void report(String role, String id, IdentitySetup.Change change) {
		switch (change) {
			case CREATED -> log.info("{} '{}' created", role, id);
			case PASSWORD_CHANGED -> log.info("{} '{}': password changed to the configured one", role, id);
			case NONE -> log.debug("{} '{}' is up to date", role, id);
		}
	}

	private static void refuseInLdapMode(boolean set, String setting, String why) {
		if (set) {
			throw new InvalidSettingException(setting,
					"is not used when ops.identity.mode is ldap (" + why + "): remove it");
		}
	}

	private static void requireInProd(Secret secret, String setting) {
		if (secret == null) {
			throw new InvalidSettingException(setting, "is missing: the prod profile never starts without it");
		}
	}

}
