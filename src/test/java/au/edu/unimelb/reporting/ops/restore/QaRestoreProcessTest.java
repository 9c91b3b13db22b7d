package au.edu.unimelb.reporting.ops.restore;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import au.edu.unimelb.reporting.ops.engine.RequestRefusedException;
import au.edu.unimelb.reporting.ops.nightly.StepFailedException;
import au.edu.unimelb.reporting.ops.support.ProcessJobs;
import org.assertj.core.api.Assertions;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.historyService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.managementService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.repositoryService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.reset;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * Every branch of {@code processes/qa-restore.bpmn}, with {@link QaRestoreService} and
 * {@link QaMigrations} replaced: restored; a failed fetch, restore or comparison
 * (temporary database dropped, QA never swapped); QA configured as Prod (refused, nothing
 * started); failing migrations (incident, then a retry that works); an edited
 * {@code tempDatabase} variable (no step reads it).
 */
@Deployment(resources = "processes/qa-restore.bpmn")
class QaRestoreProcessTest {

	static final QaRestoreService restore = mock(QaRestoreService.class);

	static final QaMigrations migrations = mock(QaMigrations.class);

	static final String TEMP = "reporting_qa_restore_abc";

	static final Instant SET = Instant.parse("2026-11-23T14:30:05Z");

	@RegisterExtension
	static ProcessEngineExtension engine = ProcessEngineExtension.builder()
		.configurationResource("process-test.camunda.cfg.xml")
		.build();

	@BeforeAll
	static void registerDelegates() {
		// the model's retry cycle (${nightlyRetries.retryCycle}, ops.backup.retry-cycle)
		Mocks.register("nightlyRetries", Map.of("retryCycle", "R2/PT1S"));
		RestoreDelegatesForTests.register(restore, migrations);
	}

	@AfterAll
	static void resetMocks() {
		Mocks.reset();
	}

	@BeforeEach
	void stubs() {
		reset(restore, migrations);
		when(restore.acceptRestore(anyString(), eq("admin"))).thenReturn(TEMP);
		when(restore.fetch(anyString(), org.mockito.ArgumentMatchers.isNull())).thenReturn(SET);
		when(restore.compare(anyString())).thenReturn("3 tables, 1200 rows, as the backup counted");
	}

	@Test
	void restoresComparesSwapsMigratesAndRecords() {
		ProcessInstance instance = start();
		ProcessJobs.run(instance, "Task_FetchBackup", "Task_RestoreIntoTemp", "Task_CompareWithBackup",
				"Task_SwapIntoQa", "Task_MigrateQa");

		assertThat(instance).isEnded().hasPassed("EndEvent_Restored").hasNotPassed("Task_DropTempDatabase");
		org.assertj.core.api.Assertions
			.assertThat(historyService().createHistoricVariableInstanceQuery()
				.processInstanceId(instance.getId())
				.variableName("backupTime")
				.singleResult()
				.getValue())
			.isEqualTo(SET.toString());
		verify(restore).swapIntoQa(instance.getId());
		verify(migrations).migrate(instance.getId());
		verify(restore).finish(instance.getId(), QaRestoreProcess.RESTORED, null);
	}

	@Test
	void aFailedRestoreDropsTheTemporaryDatabaseAndNeverTouchesQa() {
		doThrow(new StepFailedException("pg_restore into " + TEMP + " failed: exit 1")).when(restore)
			.restoreIntoTemp(anyString());

		ProcessInstance instance = start();
		ProcessJobs.run(instance, "Task_FetchBackup", "Task_RestoreIntoTemp", "Task_DropTempDatabase");

		assertThat(instance).isEnded().hasPassed("EndEvent_RestoreFailed");
		verify(restore).dropTemp(instance.getId());
		verify(restore, never()).swapIntoQa(anyString());
		verify(restore).finish(instance.getId(), QaRestoreProcess.FAILED,
				"pg_restore into " + TEMP + " failed: exit 1");
	}

	@Test
	void anEditedTempDatabaseVariableRedirectsNoStep() {
		doThrow(new StepFailedException("pg_restore failed: exit 1")).when(restore).restoreIntoTemp(anyString());

		ProcessInstance instance = start();
		// what someone with Cockpit could do: point the variable at Prod's database
		runtimeService().setVariable(instance.getId(), QaRestoreProcess.TEMP_DATABASE, "reporting_prod");
		ProcessJobs.run(instance, "Task_FetchBackup", "Task_RestoreIntoTemp", "Task_DropTempDatabase");

		assertThat(instance).isEnded().hasPassed("EndEvent_RestoreFailed");
		// every step names the run; the service derives the database from it alone
		verify(restore).restoreIntoTemp(instance.getId());
		verify(restore).dropTemp(instance.getId());
		verify(restore).finish(instance.getId(), QaRestoreProcess.FAILED, "pg_restore failed: exit 1");
	}

	@Test
	void aRestoreThatDoesNotMatchTheBackupIsNotSwappedIn() {
		when(restore.compare(anyString()))
			.thenThrow(new StepFailedException("public.orders has 3 rows, the backup counted 4"));

		ProcessInstance instance = start();
		ProcessJobs.run(instance, "Task_FetchBackup", "Task_RestoreIntoTemp", "Task_CompareWithBackup",
				"Task_DropTempDatabase");

		assertThat(instance).isEnded().hasPassed("EndEvent_RestoreFailed");
		verify(restore, never()).swapIntoQa(anyString());
	}

	@Test
	void aCorruptSetEndsTheRunBeforeAnyDatabaseIsMade() {
		when(restore.fetch(anyString(), org.mockito.ArgumentMatchers.isNull()))
			.thenThrow(new StepFailedException("duplicity restore failed: exit 31"));

		ProcessInstance instance = start();
		ProcessJobs.run(instance, "Task_FetchBackup", "Task_DropTempDatabase");

		assertThat(instance).isEnded().hasPassed("EndEvent_RestoreFailed");
		verify(restore, never()).restoreIntoTemp(anyString());
	}

	@Test
	void refusesWhenQaIsTheProdDatabaseAndStartsNothing() {
		when(restore.acceptRestore(anyString(), eq("admin"))).thenThrow(
				RequestRefusedException.badInput("Refused: the QA database reporting on db:5432 is the Prod database"));

		assertThatThrownBy(this::start).hasMessageContaining("is the Prod database");
		org.assertj.core.api.Assertions
			.assertThat(historyService().createHistoricProcessInstanceQuery()
				.processDefinitionKey(QaRestoreProcess.KEY)
				.count())
			.isZero();
		verify(restore, never()).swapIntoQa(anyString());
	}

	@Test
	void failingMigrationsRaiseAnIncidentAndARetryFinishesTheRun() {
		when(migrations.migrate(anyString()))
			.thenThrow(new IllegalStateException("QA migrations exited with 1"),
					new IllegalStateException("QA migrations exited with 1"))
			.thenReturn("migrated");

		ProcessInstance instance = start();
		ProcessJobs.run(instance, "Task_FetchBackup", "Task_RestoreIntoTemp", "Task_CompareWithBackup",
				"Task_SwapIntoQa");
		Job migrate = ProcessJobs.failUntilIncident(instance, "Task_MigrateQa");
		List<Incident> incidents = runtimeService().createIncidentQuery().processInstanceId(instance.getId()).list();
		org.assertj.core.api.Assertions.assertThat(incidents)
			.singleElement()
			.satisfies((incident) -> org.assertj.core.api.Assertions.assertThat(incident.getIncidentMessage())
				.contains("QA migrations exited with 1"));
		verify(restore, never()).dropTemp(anyString());

		managementService().setJobRetries(migrate.getId(), 1);
		managementService().executeJob(migrate.getId());

		assertThat(instance).isEnded().hasPassed("EndEvent_Restored");
		verify(restore).finish(instance.getId(), QaRestoreProcess.RESTORED, null);
	}

	private ProcessInstance start() {
		org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.identityService().setAuthenticatedUserId("admin");
		try {
			return runtimeService().startProcessInstanceByKey(QaRestoreProcess.KEY, Map.of());
		}
		finally {
			org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.identityService().clearAuthentication();
		}
	}

	@Test
	void throwsAndCatchesOnlyTheErrorsItsConstantsName() {
		Assertions.assertThat(ProcessJobs.errorCodes(QaRestoreProcess.KEY))
			.containsExactlyInAnyOrder(QaRestoreProcess.ERROR_STEP_FAILED, QaRestoreProcess.ERROR_RESTORE_FAILED);
	}

}
