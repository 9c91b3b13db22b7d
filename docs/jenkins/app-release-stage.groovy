// Example: the stage the reporting APPLICATION's pipeline adds to ship a build through reporting-ops (QA, UAT
// approval by the testers in Camunda Tasklist, then Prod). Paste it after the stage that builds and publishes
// APP_BUILD. docs/operations.md ("Jenkins") explains it.
//
// The release runs in the service and survives a Jenkins restart: this stage only starts it and follows it, one line
// per step, with scripts/release.sh from the reporting-ops repository (its exit codes are in its header). It needs no
// root, no OpenStack credentials and none of reporting-ops' tests; the agent needs git, curl and jq, and Jenkins:
//   - a username/password credential 'reporting-ops-jenkins': the service's ops.security.jenkins-id and
//     jenkins-password (that user may start `release` and nothing else);
//   - OPS_URL and REPORTING_OPS_GIT below.
// A shared-library step can hold the same lines (vars/releaseThroughReportingOps.groovy taking the build).

stage('Release through reporting-ops') {
	when {
		expression { env.APP_BUILD?.trim() }
	}
	options {
		// UAT can take days; the service expires the approval itself (ops.release.approval-deadline, 3 days by default)
		timeout(time: 4, unit: 'DAYS')
	}
	environment {
		OPS_URL = 'https://reporting-ops.internal.unimelb.edu.au'
		REPORTING_OPS_GIT = 'https://git.example.unimelb.edu.au/reporting/reporting-ops.git'
	}
	steps {
		// the script as tested with the service: its main branch, beside the application's checkout
		dir('.reporting-ops') {
			git url: env.REPORTING_OPS_GIT, branch: 'main'
		}
		script {
			// The person who started this build, when a person did: the service keeps them from approving their own
			// release. A build started by a timer or an SCM change names nobody. (The build-user-vars plugin's
			// BUILD_USER_ID works too when it names a person, but it gives automatic starts stand-in ids such as
			// 'timer' or 'scmChange', which name no tester.)
			def startedBy = currentBuild.getBuildCauses('hudson.model.Cause$UserIdCause')
			env.BUILD_USER_ID = startedBy ? startedBy[0].userId : ''
		}
		withCredentials([usernamePassword(credentialsId: 'reporting-ops-jenkins',
				usernameVariable: 'OPS_USER', passwordVariable: 'OPS_PASSWORD')]) {
			// the password reaches curl through a file only this user can read, never a command line
			sh '.reporting-ops/scripts/release.sh "$APP_BUILD" "${BUILD_USER_ID:-}"'
		}
	}
}
