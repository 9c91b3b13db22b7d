package au.edu.unimelb.reporting.ops.security;

import au.edu.unimelb.reporting.ops.config.InvalidSettingException;
import au.edu.unimelb.reporting.ops.config.Secret;
import au.edu.unimelb.reporting.ops.config.ServiceSettings;
import au.edu.unimelb.reporting.ops.security.SecuritySettings.Tester;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.stereotype.Component;

/**
 * Brings the engine's users, groups and authorizations in line with
 * {@link SecuritySettings} right after the engine is built, before it serves a request or
 * runs a job. No default user or password exists: without a configured administrator
 * password, a first start generates one into the data directory (refused in the
 * {@code prod} profile).
 */
@Component
class IdentityBootstrap extends AbstractProcessEnginePlugin {

	private static final Logger log = LoggerFactory.getLogger(IdentityBootstrap.class);

	private final SecuritySettings settings;

	private final ServiceSettings service;

	IdentityBootstrap(SecuritySettings settings, ServiceSettings service, Environment environment) {
		this.settings = settings;
		this.service = service;
		if (environment.acceptsProfiles(Profiles.of("prod"))) {
			requireInProd(settings.adminPassword(), "ops.security.admin-password");
			requireInProd(settings.jenkinsPassword(), "ops.security.jenkins-password");
		}
	}

	@Override
	public void postProcessEngineBuild(ProcessEngine engine) {
		IdentitySetup setup = new IdentitySetup(engine.getIdentityService(), engine.getAuthorizationService(),
				engine.getFilterService(), engine.getTaskService());
		setup.ensureGroups();
		ensureAdmin(setup);
		ensureJenkins(setup);
		for (Tester tester : this.settings.testers()) {
			IdentitySetup.Change change = setup.ensureUser(tester.id(), tester.password().reveal(), tester.firstName(),
					tester.lastName(), tester.email());
			setup.ensureMembership(tester.id(), IdentitySetup.TESTERS_GROUP);
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
		setup.ensureMembership(id, IdentitySetup.ADMIN_GROUP);
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

	private static void requireInProd(Secret secret, String setting) {
		if (secret == null) {
			throw new InvalidSettingException(setting, "is missing: the prod profile never starts without it");
		}
	}

}
