#!/usr/bin/python3
"""Registers what the loopback test bed needs in Keystone, idempotently.

Run with Debian's Python (/usr/bin/python3: keystoneauth1 and keystoneclient
come from the keystone packages). Creates only what is missing and resets a
password only when it does not work; prints one line per change.

    project "service", user "heat" (role admin there), service "heat" of type
    orchestration with public/internal/admin endpoints
    http://127.0.0.1:8004/v1/%(tenant_id)s, and the test project and user
    (role member, enough to create and delete stacks); and service "nova" of
    type compute with a public endpoint TB_COMPUTE_URL (http://127.0.0.1:8774/v2.1)
    that no server of the test bed answers: the deploy tests serve it themselves
    (a stand-in for os-getConsoleOutput, the one compute call the service makes)

Environment: TB_KEYSTONE_URL, TB_ADMIN_PASSWORD, TB_HEAT_PASSWORD,
TB_MEMBER_PASSWORD, TB_PROJECT, TB_USER, TB_REGION, TB_HEAT_URL, TB_COMPUTE_URL.
"""

import os
import sys

from keystoneauth1 import exceptions as ks_exc
from keystoneauth1 import session
from keystoneauth1.identity import v3
from keystoneclient.v3 import client

ENV = os.environ
URL = ENV["TB_KEYSTONE_URL"]
DOMAIN = "default"
REGION = ENV.get("TB_REGION", "RegionOne")


def say(msg):
    print("keystone: " + msg, file=sys.stderr)


def password_works(user, password, project):
    auth = v3.Password(auth_url=URL, username=user, password=password, user_domain_id=DOMAIN,
                       project_name=project, project_domain_id=DOMAIN)
    try:
        session.Session(auth=auth).get_token()
        return True
    except ks_exc.http.Unauthorized:
        return False


def main():
    auth = v3.Password(auth_url=URL, username="admin", password=ENV["TB_ADMIN_PASSWORD"],
                       user_domain_id=DOMAIN, project_name="admin", project_domain_id=DOMAIN)
    ks = client.Client(session=session.Session(auth=auth), interface="public", region_name=REGION)

    def project(name, description):
        found = ks.projects.list(name=name, domain=DOMAIN)
        if found:
            return found[0]
        say("created project " + name)
        return ks.projects.create(name, DOMAIN, description=description)

    def user(name, password, proj):
        found = ks.users.list(name=name, domain=DOMAIN)
        if not found:
            say("created user " + name)
            return ks.users.create(name, domain=DOMAIN, password=password, default_project=proj)
        u = found[0]
        return u

    def grant(role_name, u, proj):
        role = ks.roles.list(name=role_name)
        if not role:
            say("created role " + role_name)
            role = [ks.roles.create(role_name)]
        role = role[0]
        if not ks.role_assignments.list(user=u, project=proj, role=role):
            say("granted role %s on project %s to user %s" % (role_name, proj.name, u.name))
            ks.roles.grant(role, user=u, project=proj)

    def fix_password(u, password, proj):
        if not password_works(u.name, password, proj.name):
            say("reset the password of user " + u.name)
            ks.users.update(u, password=password)

    service_project = project("service", "Service users of the loopback test bed")
    heat = user("heat", ENV["TB_HEAT_PASSWORD"], service_project)
    grant("admin", heat, service_project)
    fix_password(heat, ENV["TB_HEAT_PASSWORD"], service_project)

    services = ks.services.list(type="orchestration")
    if services:
        service = services[0]
    else:
        say("created service heat (orchestration)")
        service = ks.services.create("heat", "orchestration", description="Orchestration")
    url = ENV["TB_HEAT_URL"] + "/%(tenant_id)s"
    for interface in ("public", "internal", "admin"):
        eps = ks.endpoints.list(service=service, interface=interface, region=REGION)
        if not eps:
            say("created %s orchestration endpoint %s" % (interface, url))
            ks.endpoints.create(service, url, interface=interface, region=REGION)
        elif eps[0].url != url:
            say("changed %s orchestration endpoint to %s" % (interface, url))
            ks.endpoints.update(eps[0], url=url)

    # No Nova on the test bed: a public compute endpoint that the tests answer themselves.
    services = ks.services.list(type="compute")
    if services:
        compute = services[0]
    else:
        say("created service nova (compute)")
        compute = ks.services.create("nova", "compute", description="Compute (stand-in served by the tests)")
    url = ENV["TB_COMPUTE_URL"]
    eps = ks.endpoints.list(service=compute, interface="public", region=REGION)
    if not eps:
        say("created public compute endpoint %s" % url)
        ks.endpoints.create(compute, url, interface="public", region=REGION)
    elif eps[0].url != url:
        say("changed public compute endpoint to %s" % url)
        ks.endpoints.update(eps[0], url=url)

    test_project = project(ENV["TB_PROJECT"], "reporting-ops tests on the loopback test bed")
    member = user(ENV["TB_USER"], ENV["TB_MEMBER_PASSWORD"], test_project)
    grant("member", member, test_project)
    fix_password(member, ENV["TB_MEMBER_PASSWORD"], test_project)


if __name__ == "__main__":
    main()
