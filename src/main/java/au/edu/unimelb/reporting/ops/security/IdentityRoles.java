package au.edu.unimelb.reporting.ops.security;

import java.util.Collection;
import java.util.Locale;

import org.camunda.bpm.engine.authorization.Groups;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Which group is which role: the {@code testers} (approve UAT) and the operators (Camunda
 * administrators, group {@code camunda-admin}). In {@code configured} mode these are the
 * groups of those names; in {@code ldap} mode, the directory groups that
 * {@code ops.identity.ldap.testers-group} and {@code .operators-group} name. The release
 * model's UAT task names {@code ${identityRoles.testersGroup()}} as its candidate group.
 */
@Component("identityRoles")
public final class IdentityRoles {

	/** The roles of {@code configured} mode. */
	public static final IdentityRoles CONFIGURED = new IdentityRoles("testers", Groups.CAMUNDA_ADMIN);

	private final String testersGroup;

	private final String operatorsGroup;

	@Autowired
	IdentityRoles(IdentitySettings settings) {
		this(settings.isLdapMode() ? settings.ldap().testersGroup() : CONFIGURED.testersGroup,
				settings.isLdapMode() ? settings.ldap().operatorsGroup() : CONFIGURED.operatorsGroup);
	}

	public IdentityRoles(String testersGroup, String operatorsGroup) {
		this.testersGroup = testersGroup;
		this.operatorsGroup = operatorsGroup;
	}

	/** The group whose members approve UAT. */
	public String testersGroup() {
		return this.testersGroup;
	}

	/** The group whose members are administrators and operators. */
	public String operatorsGroup() {
		return this.operatorsGroup;
	}

	/**
	 * Whether two user ids name the same person. A directory finds {@code Tess} for
	 * {@code tess} (its ids ignore case), and so a login typed either way is the same
	 * user: every rule about who may do what compares ids this way.
	 */
	public static boolean sameUser(String one, String other) {
		return one != null && other != null && one.toLowerCase(Locale.ROOT).equals(other.toLowerCase(Locale.ROOT));
	}

	/** Whether a user with these groups is an operator. */
	public boolean isOperator(Collection<String> groupIds) {
		return groupIds != null && groupIds.contains(this.operatorsGroup);
	}

	@Override
	public String toString() {
		return "testers: " + this.testersGroup + ", operators: " + this.operatorsGroup;
	}

}
