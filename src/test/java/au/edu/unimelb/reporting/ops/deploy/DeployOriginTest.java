package au.edu.unimelb.reporting.ops.deploy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import au.edu.unimelb.reporting.ops.deploy.ReleaseApprovals.Approval;
import au.edu.unimelb.reporting.ops.deploy.ReleaseApprovals.ReleaseApproval;
import au.edu.unimelb.reporting.ops.engine.RequestRefusedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Safety rule 9 as a table: who may deploy where, and where the approval on a record
 * comes from.
 */
class DeployOriginTest {

	static final Instant APPROVED_AT = Instant.parse("2026-11-25T03:04:05Z");

	final Map<String, ReleaseApproval> releases = Map.of("r-approved",
			new ReleaseApproval("r-approved", "1.2.3", "jenkins", "APPROVED", "tom", APPROVED_AT, "Looks good", 1,
					List.of(new Approval("tom", APPROVED_AT, "Looks good"))),
			"r-waiting", new ReleaseApproval("r-waiting", "1.2.3", "jenkins", null, null, null, null, 1, List.of()),
			"r-rejected", new ReleaseApproval("r-rejected", "1.2.3", "jenkins", "REJECTED", "tom", APPROVED_AT,
					"Broken", 1, List.of()));

	static final Instant SECOND_AT = APPROVED_AT.plusSeconds(3600);

	/** Releases that needed two approvals. */
	final Map<String, ReleaseApproval> twoRequired = Map.of("r-two",
			new ReleaseApproval("r-two", "1.2.3", "jenkins", "APPROVED", "tina", SECOND_AT, "Fine", 2,
					List.of(new Approval("tom", APPROVED_AT, "Looks good"), new Approval("tina", SECOND_AT, "Fine"))),
			"r-one-of-two",
			new ReleaseApproval("r-one-of-two", "1.2.3", "jenkins", "APPROVED", "tom", APPROVED_AT, "Looks good", 2,
					List.of(new Approval("tom", APPROVED_AT, "Looks good"))),
			"r-same-twice",
			new ReleaseApproval("r-same-twice", "1.2.3", "jenkins", "APPROVED", "tom", SECOND_AT, "Again", 2,
					List.of(new Approval("tom", APPROVED_AT, "Looks good"), new Approval("tom", SECOND_AT, "Again"))),
			"r-none-required", new ReleaseApproval("r-none-required", "1.2.3", "jenkins", "APPROVED", "tom",
					APPROVED_AT, "Looks good", 0, List.of()));

	final ReleaseApprovals lookup = (id) -> Optional.ofNullable(this.releases.get(id))
		.or(() -> Optional.ofNullable(this.twoRequired.get(id)));

	@Test
	void twoRequiredApprovalsGiveTheRecordEveryApproverInOrder() {
		DeployOrigin origin = DeployOrigin
			.of(new DeployRequest("run-1", "prod", "1.2.3", null, false, "r-two", null, List.of()), this.lookup);
		assertThat(origin).isEqualTo(new DeployOrigin("jenkins (release r-two)", "r-two", "APPROVED", "tom,tina",
				SECOND_AT, "tom: Looks good; tina: Fine", null,
				List.of(new Approval("tom", APPROVED_AT, "Looks good"), new Approval("tina", SECOND_AT, "Fine"))));
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "r-one-of-two", "r-same-twice", "r-none-required" })
	void aReleaseWithoutItsDistinctApprovalsIsNoApprovalWhateverItsDecisionSays(String release) {
		assertThatThrownBy(() -> DeployOrigin
			.of(new DeployRequest("run-1", "prod", "1.2.3", null, false, release, null, List.of()), this.lookup))
			.isInstanceOfSatisfying(RequestRefusedException.class,
					(refused) -> assertThat(refused.getStatus().getStatusCode()).isEqualTo(409))
			.hasMessageContaining("has no UAT approval");
	}

	@ParameterizedTest(name = "{0} {1} to {2}, release {3}, reason ''{4}'' -> {5}")
	@CsvSource(nullValues = "-", value = {
			// who, operator, environment, calling release, reason -> status or uat
			"admin, true, qa, -, -, ok", "admin, true, qa, -, testing a fix, ok", "admin, true, prod, -, -, 400",
			"admin, true, prod, -, '   ', 400", "admin, true, prod, -, Prod is down: hotfix 1.2.4, SKIPPED",
			"jenkins, false, qa, -, -, 403", "jenkins, false, prod, -, an emergency, 403",
			"tom, false, prod, -, an emergency, 403", "-, false, prod, -, an emergency, 403",
			"-, false, qa, r-waiting, -, ok", "jenkins, false, qa, r-waiting, -, ok",
			"-, false, prod, r-approved, -, APPROVED", "-, false, prod, r-waiting, -, 409",
			"-, false, prod, r-rejected, -, 409", "-, false, prod, r-unknown, -, 409",
			"admin, true, prod, r-waiting, an emergency, 409" })
	void decidesWhoMayDeployWhere(String user, boolean operator, String environment, String release, String reason,
			String expected) {
		DeployRequest request = new DeployRequest("run-1", environment, "1.2.3", user, operator, release, reason,
				List.of());
		if (expected.matches("\\d{3}")) {
			assertThatThrownBy(() -> DeployOrigin.of(request, this.lookup)).isInstanceOfSatisfying(
					RequestRefusedException.class,
					(refused) -> assertThat(refused.getStatus().getStatusCode()).isEqualTo(Integer.parseInt(expected)));
			return;
		}
		DeployOrigin origin = DeployOrigin.of(request, this.lookup);
		assertThat(origin.uat()).isEqualTo(expected.equals("ok") ? null : expected);
	}

	@Test
	void anApprovedReleaseGivesTheRecordItsOwnApprovalAndNothingElse() {
		DeployOrigin origin = DeployOrigin
			.of(new DeployRequest("run-1", "prod", "1.2.3", null, false, "r-approved", null, List.of()), this.lookup);
		assertThat(origin).isEqualTo(new DeployOrigin("jenkins (release r-approved)", "r-approved", "APPROVED", "tom",
				APPROVED_AT, "Looks good", null, List.of(new Approval("tom", APPROVED_AT, "Looks good"))));
	}

	@Test
	void aReleaseOfAnotherBuildIsNoApprovalForThisOne() {
		assertThatThrownBy(() -> DeployOrigin
			.of(new DeployRequest("run-1", "prod", "6.6.6", null, false, "r-approved", null, List.of()), this.lookup))
			.isInstanceOf(RequestRefusedException.class)
			.hasMessageContaining("ships build 1.2.3, not 6.6.6");
	}

	@Test
	void approvalDataInAStartRequestIsRefusedEvenFromAnOperator() {
		assertThatThrownBy(() -> DeployOrigin.of(new DeployRequest("run-1", "prod", "1.2.3", "admin", true, null,
				"an emergency", List.of("approvedBy", "releaseId")), this.lookup))
			.isInstanceOfSatisfying(RequestRefusedException.class,
					(refused) -> assertThat(refused.getStatus().getStatusCode()).isEqualTo(400))
			.hasMessageContaining("approvedBy, releaseId");
	}

	@Test
	void anEmergencyDeployRecordsWhoAndWhyAndThatUatWasSkipped() {
		DeployOrigin origin = DeployOrigin.of(
				new DeployRequest("run-1", "prod", "1.2.3", "admin", true, null, "  Prod is down: hotfix ", List.of()),
				this.lookup);
		assertThat(origin)
			.isEqualTo(new DeployOrigin("admin", null, "SKIPPED", null, null, null, "Prod is down: hotfix", List.of()));
	}

	@Test
	void aReasonMustBePlainTextOfAtMost500Characters() {
		for (Object reason : List.of("x".repeat(501), "line one\nline two", "bell\u0007", 42)) {
			assertThatThrownBy(() -> DeployOrigin
				.of(new DeployRequest("run-1", "prod", "1.2.3", "admin", true, null, reason, List.of()), this.lookup))
				.as("reason %s", reason)
				.isInstanceOfSatisfying(RequestRefusedException.class,
						(refused) -> assertThat(refused.getStatus().getStatusCode()).isEqualTo(400));
		}
		assertThat(DeployOrigin
			.of(new DeployRequest("run-1", "prod", "1.2.3", "admin", true, null, "x".repeat(500), List.of()),
					this.lookup)
			.reason()).hasSize(500);
	}

}
