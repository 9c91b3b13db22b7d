package au.edu.unimelb.reporting.ops.security;

import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.authorization.Permission;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.ProcessDefinitionPermissions;
import org.camunda.bpm.engine.authorization.Resource;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.filter.Filter;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.impl.TaskQueryImpl;

/**
 * Creates or updates the service's users, groups, authorizations and the testers'
 * Tasklist filter in the engine's identity store. Every step is idempotent: running it
 * again on an unchanged store changes nothing, and a changed password replaces the stored
 * one.
 */
class IdentitySetup {

	/** The one process Jenkins may start (safety rule 9: Prod only through a release). */
	static final String JENKINS_STARTS = "release";

	/**
	 * What the release calls: Jenkins follows it (reads its instances and history) but
	 * may not start it.
	 */
	static final String JENKINS_FOLLOWS = "deploy-replace";

	/** The process whose user task the testers work on. */
	static final String UAT_PROCESS = "release";

	static final String UAT_FILTER_NAME = "UAT approvals";

	private final IdentityService identity;

	private final AuthorizationService authorizations;

	private final FilterService filters;

	private final TaskService tasks;

	/** The operators' group (all rights) and the testers' (UAT in Tasklist). */
	private final IdentityRoles roles;

	IdentitySetup(IdentityService identity, AuthorizationService authorizations, FilterService filters,
			TaskService tasks, IdentityRoles roles) {
		this.roles = roles;
		this.identity = identity;
		this.authorizations = authorizations;
		this.filters = filters;
		this.tasks = tasks;
	}

	/** Creates the operators' and testers' groups, then grants them their rights. */
	void ensureGroups() {
		ensureGroup(this.roles.operatorsGroup(), "Administrators", Groups.GROUP_TYPE_SYSTEM);
		ensureGroup(this.roles.testersGroup(), "Testers (UAT approval)", Groups.GROUP_TYPE_WORKFLOW);
		grantGroups();
	}

	/**
	 * Grants the operators' group every right, and the testers' group Tasklist, the
	 * release's definition and the UAT filter; the groups themselves may live elsewhere
	 * (a directory): authorizations name a group by its id only.
	 */
	void grantGroups() {
		for (Resources resource : Resources.values()) {
			grantGroup(this.roles.operatorsGroup(), resource, Authorization.ANY, Permissions.ALL);
		}
		grantGroup(this.roles.testersGroup(), Resources.APPLICATION, "tasklist", Permissions.ACCESS);
		grantGroup(this.roles.testersGroup(), Resources.PROCESS_DEFINITION, UAT_PROCESS, Permissions.READ);
		Filter filter = uatFilter();
		grantGroup(this.roles.testersGroup(), Resources.FILTER, filter.getId(), Permissions.READ);
	}

	boolean userExists(String id) {
		return this.identity.createUserQuery().userId(id).count() > 0;
	}

	/**
	 * Creates the user, or updates its password when a different one is given.
	 * @param password the password, or {@code null} to leave an existing user's password
	 * alone
	 * @return what was done
	 */
	Change ensureUser(String id, String password, String firstName, String lastName, String email) {
		User user = this.identity.createUserQuery().userId(id).singleResult();
		if (user == null) {
			if (password == null) {
				throw new IllegalArgumentException("User " + id + " does not exist and no password is configured");
			}
			user = this.identity.newUser(id);
			user.setFirstName(firstName);
			// Cockpit's header shows first and last name: "Administrator null" without
			// one
			user.setLastName((lastName != null) ? lastName : "");
			user.setEmail(email);
			user.setPassword(password);
			this.identity.saveUser(user);
			return Change.CREATED;
		}
		if (password != null && !this.identity.checkPassword(id, password)) {
			// The failed check counted as a failed login and updated the user: read it
			// again, and lift the
			// lock-out delay that the failed check started, so the new password works at
			// once.
			user = this.identity.createUserQuery().userId(id).singleResult();
			user.setPassword(password);
			this.identity.saveUser(user);
			this.identity.unlockUser(id);
			return Change.PASSWORD_CHANGED;
		}
		return Change.NONE;
	}

	void ensureMembership(String userId, String groupId) {
		if (this.identity.createUserQuery().userId(userId).memberOfGroup(groupId).count() == 0) {
			this.identity.createMembership(userId, groupId);
		}
	}

	/**
	 * Jenkins may start {@link #JENKINS_STARTS} and follow what it calls, and nothing
	 * else. The grants are set exactly: a permission an earlier version granted (such as
	 * starting deploy-replace) is taken away.
	 */
	void grantJenkins(String userId) {
		grantUser(userId, Resources.PROCESS_INSTANCE, Authorization.ANY, Permissions.CREATE);
		grantUserExactly(userId, Resources.PROCESS_DEFINITION, JENKINS_STARTS, ProcessDefinitionPermissions.READ,
				ProcessDefinitionPermissions.CREATE_INSTANCE, ProcessDefinitionPermissions.READ_INSTANCE,
				ProcessDefinitionPermissions.READ_HISTORY);
		grantUserExactly(userId, Resources.PROCESS_DEFINITION, JENKINS_FOLLOWS, ProcessDefinitionPermissions.READ,
				ProcessDefinitionPermissions.READ_INSTANCE, ProcessDefinitionPermissions.READ_HISTORY);
	}

	private Filter uatFilter() {
		Filter filter = this.filters.createFilterQuery().filterName(UAT_FILTER_NAME).singleResult();
		String group = this.roles.testersGroup();
		if (filter == null) {
			filter = this.filters.newTaskFilter(UAT_FILTER_NAME);
			filter.setQuery(this.tasks.createTaskQuery().taskCandidateGroup(group).includeAssignedTasks());
			filter.setProperties(
					Map.of("description", "Builds waiting for UAT approval on QA", "priority", -10, "refresh", true));
			this.filters.saveFilter(filter);
		}
		else if (!(filter.getQuery() instanceof TaskQueryImpl query) || !group.equals(query.getCandidateGroup())) {
			// the testers' group changed (another mode, another directory group)
			filter.setQuery(this.tasks.createTaskQuery().taskCandidateGroup(group).includeAssignedTasks());
			this.filters.saveFilter(filter);
		}
		return filter;
	}

	private void ensureGroup(String id, String name, String type) {
		if (this.identity.createGroupQuery().groupId(id).count() == 0) {
			Group group = this.identity.newGroup(id);
			group.setName(name);
			group.setType(type);
			this.identity.saveGroup(group);
		}
	}

	private void grantGroup(String groupId, Resource resource, String resourceId, Permission... permissions) {
		Authorization existing = this.authorizations.createAuthorizationQuery()
			.authorizationType(Authorization.AUTH_TYPE_GRANT)
			.groupIdIn(groupId)
			.resourceType(resource)
			.resourceId(resourceId)
			.singleResult();
		Authorization authorization = (existing != null) ? existing
				: this.authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
		authorization.setGroupId(groupId);
		save(authorization, existing == null, resource, resourceId, permissions);
	}

	private void grantUser(String userId, Resource resource, String resourceId, Permission... permissions) {
		Authorization existing = userGrant(userId, resource, resourceId);
		Authorization authorization = (existing != null) ? existing
				: this.authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
		authorization.setUserId(userId);
		save(authorization, existing == null, resource, resourceId, permissions);
	}

	private Authorization userGrant(String userId, Resource resource, String resourceId) {
		return this.authorizations.createAuthorizationQuery()
			.authorizationType(Authorization.AUTH_TYPE_GRANT)
			.userIdIn(userId)
			.resourceType(resource)
			.resourceId(resourceId)
			.singleResult();
	}

	private void grantUserExactly(String userId, Resource resource, String resourceId,
			ProcessDefinitionPermissions... permissions) {
		Authorization existing = userGrant(userId, resource, resourceId);
		Set<ProcessDefinitionPermissions> wanted = Set.of(permissions);
		if (existing != null && Stream.of(ProcessDefinitionPermissions.values())
			.filter((permission) -> permission != ProcessDefinitionPermissions.NONE
					&& permission != ProcessDefinitionPermissions.ALL)
			.anyMatch((permission) -> !wanted.contains(permission) && existing.isPermissionGranted(permission))) {
			// it grants something beyond the list: start again from nothing
			this.authorizations.deleteAuthorization(existing.getId());
		}
		grantUser(userId, resource, resourceId, permissions);
	}

	private void save(Authorization authorization, boolean isNew, Resource resource, String resourceId,
			Permission... permissions) {
		boolean changed = isNew;
		authorization.setResource(resource);
		authorization.setResourceId(resourceId);
		for (Permission permission : permissions) {
			if (!authorization.isPermissionGranted(permission)) {
				authorization.addPermission(permission);
				changed = true;
			}
		}
		if (changed) {
			this.authorizations.saveAuthorization(authorization);
		}
	}

	enum Change {

		CREATED, PASSWORD_CHANGED, NONE

	}

}
