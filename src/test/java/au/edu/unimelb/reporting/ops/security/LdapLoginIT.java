package au.edu.unimelb.reporting.ops.security;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.sql.DataSource;

import au.edu.unimelb.reporting.ops.nightly.BackupRecords;
import au.edu.unimelb.reporting.ops.support.LoopbackSshd;
import au.edu.unimelb.reporting.ops.support.Browser;
import au.edu.unimelb.reporting.ops.support.LoopbackDeployEnvironment;
import au.edu.unimelb.reporting.ops.support.LoopbackLdap;
import au.edu.unimelb.reporting.ops.support.LoopbackLdap.Person;
import au.edu.unimelb.reporting.ops.support.ProcessArgvWatch;
import au.edu.unimelb.reporting.ops.support.ScriptRun;
import au.edu.unimelb.reporting.ops.support.SecretScan;
import au.edu.unimelb.reporting.ops.support.ServiceClient;
import au.edu.unimelb.reporting.ops.support.ThreadDumpOnTimeout;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.awaitility.Awaitility;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Logins from a real OpenLDAP directory ({@link LoopbackLdap}), on the running service in
 * {@code ldap} mode with the loopback test bed: Jenkins, a directory account, starts a
 * release over REST; while it deploys QA the directory goes down, and the deploy goes on
 * to UAT while logins are answered with 503 "directory unreachable" (the service stays
 * UP); the directory comes back; a member of no mapped group (who is in a directory group
 * that happens to be called camunda-admin) is refused by Tasklist and cannot complete the
 * task; the requester cannot answer, and cannot log in as {@code Tess} or {@code " tess"}
 * (which the directory finds as her) to try; a tester logs in to Tasklist in Chromium and
 * approves, and the release reaches Prod. The bind password is in no argv, no engine
 * table and no log line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
@ExtendWith({ ThreadDumpOnTimeout.class, OutputCaptureExtension.class })
class LdapLoginIT {

	static final String BIND_PASSWORD = "ldap-it-bind-5f7e1c";

	static final String JENKINS_PASSWORD = "ldap-it-jenkins-2b8d";

	static final String TOM_PASSWORD = "ldap-it-tom-6c1a";

	static final String TESS_PASSWORD = "ldap-it-tess-9d3b";

	static final String OLGA_PASSWORD = "ldap-it-olga-4e2f";

	static final String NORA_PASSWORD = "ldap-it-nora-7a5c";

	static final String SCRAPE_PASSWORD = "ldap-it-scrape-8e4d0c2a";

	static final List<String> SECRETS = List.of(BIND_PASSWORD, JENKINS_PASSWORD, TOM_PASSWORD, TESS_PASSWORD,
			OLGA_PASSWORD, NORA_PASSWORD, SCRAPE_PASSWORD);

	static final String BUILD = "2026.12.01-1";

	/** Tom's address, as the seeded directory has it ({@code mail}). */
	static final String TOM_MAIL = "tom@example.org";

	LoopbackLdap ldap;

	ProcessArgvWatch argv;

	LoopbackDeployEnvironment env;

	ScriptRun jenkins;

	GreenMail smtp;

	String releaseId;

	@BeforeAll
	void start(@TempDir Path dir) throws Exception {
		this.argv = new ProcessArgvWatch(SECRETS);
		this.smtp = new GreenMail(new ServerSetup(LoopbackSshd.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
		this.smtp.start();
		int port = LoopbackSshd.freePort();
		this.ldap = LoopbackLdap.start(dir.resolve("ldap"), BIND_PASSWORD,
				List.of(new Person("jenkins", "Jenkins", "Build", JENKINS_PASSWORD),
						new Person("tom", "Tom", "Tester", TOM_PASSWORD),
						new Person("tess", "Tess", "Requester", TESS_PASSWORD),
						new Person("olga", "Olga", "Operator", OLGA_PASSWORD),
						new Person("nora", "Nora", "Nobody", NORA_PASSWORD)),
				Map.of("reporting-uat", List.of("tom", "tess"), "reporting-ops-admins", List.of("olga"),
						"camunda-admin", List.of("nora"), "library-staff", List.of("nora")));
		this.env = LoopbackDeployEnvironment.start(dir,
				Map.ofEntries(Map.entry("ops.deploy.poll-initial", "200ms"), Map.entry("ops.deploy.poll-max", "1s"),
						Map.entry("ops.identity.mode", "ldap"), Map.entry("ops.identity.ldap.url", this.ldap.url()),
						Map.entry("ops.identity.ldap.base-dn", LoopbackLdap.BASE_DN),
						Map.entry("ops.identity.ldap.user-search-base", "ou=people"),
						Map.entry("ops.identity.ldap.group-search-base", "ou=groups"),
						Map.entry("ops.identity.ldap.bind-dn", LoopbackLdap.BIND_DN),
						Map.entry("ops.identity.ldap.bind-password", BIND_PASSWORD),
						Map.entry("ops.identity.ldap.testers-group", "reporting-uat"),
						Map.entry("ops.identity.ldap.operators-group", "reporting-ops-admins"),
						Map.entry("ops.identity.ldap.connect-timeout", "2s"),
						Map.entry("ops.identity.ldap.read-timeout", "5s"),
						Map.entry("ops.metrics.scrape-password", SCRAPE_PASSWORD),
						Map.entry("server.port", Integer.toString(port)),
						Map.entry("ops.notify.public-url", "http://127.0.0.1:" + port),
						Map.entry("ops.notify.mail.host", "127.0.0.1"),
						Map.entry("ops.notify.mail.port", Integer.toString(this.smtp.getSmtp().getPort())),
						Map.entry("ops.notify.mail.starttls", "false"),
						Map.entry("ops.notify.mail.from", "reporting-ops@reporting.test"),
						// the UAT mail's recipients are looked up while the directory is
						// down: tries 1 s, 2 s, ... 32 s apart cover it
						Map.entry("ops.notify.attempts", "7"), Map.entry("ops.notify.backoff", "1s")));
		// Prod is deployed only after a recent verified backup: one is recorded as made
		// just now
		BackupRecords backups = this.env.service.bean(BackupRecords.class);
		Instant now = Instant.now();
		backups.uploaded("seed-backup", "daily", now, 1, 1);
		backups.verified("daily", now);
		this.env.green.serve(BUILD);
		this.env.heat.knobs(Map.of("fake_server_ip", "127.0.0.12"));
	}

	@AfterAll
	void stop() throws Exception {
		try {
			if (this.jenkins != null) {
				this.jenkins.close();
			}
			if (this.env != null) {
				this.env.close();
			}
		}
		finally {
			if (this.ldap != null) {
				this.ldap.close();
			}
			if (this.smtp != null) {
				this.smtp.stop();
			}
			if (this.argv != null) {
				this.argv.close();
			}
		}
	}

	@Test
	@Order(1)
	void whileTheDirectoryIsDownLoginsSaySoAndTheReleaseDeploysQaToUat() throws Exception {
		this.jenkins = ScriptRun.start(List.of("scripts/release.sh", BUILD, "tess"),
				Map.of("OPS_URL", this.env.service.baseUrl(), "OPS_USER", "jenkins", "OPS_PASSWORD", JENKINS_PASSWORD,
						"OPS_POLL_SECONDS", "1"));
		this.jenkins.awaitLine("release ", Duration.ofSeconds(60));
		this.releaseId = this.jenkins.releaseId();
		this.ldap.stop();

		Task task = awaitUatTask(Duration.ofMinutes(2));
		assertThat(task.getName()).contains(BUILD);

		ServiceClient client = this.env.service.client();
		HttpResponse<String> login = client.webappLogin("tasklist", "tom", TOM_PASSWORD);
		assertThat(login.statusCode()).as(login.body()).isEqualTo(503);
		assertThat(login.body()).contains("The user directory (LDAP) is unreachable")
			.doesNotContain(this.ldap.url())
			.doesNotContain("Exception:")
			.doesNotContain("\tat ");
		HttpResponse<String> rest = this.env.client.get("/engine-rest/process-definition/key/release", "jenkins",
				JENKINS_PASSWORD);
		assertThat(rest.statusCode()).as(rest.body()).isEqualTo(503);
		assertThat(rest.body()).contains("is unreachable, so logins cannot be checked");
		assertThat(this.env.client.get("/actuator/health").body()).contains("\"UP\"");
		// the scrape's own login needs no directory: the metrics and alerts stay
		HttpResponse<String> scrape = this.env.client.get("/actuator/prometheus", "prometheus", SCRAPE_PASSWORD);
		assertThat(scrape.statusCode()).as(scrape.body()).isEqualTo(200);
		assertThat(scrape.body()).contains("reporting_uat_tasks_waiting");
		assertThat(this.env.client.get("/actuator/prometheus", "prometheus", "not-the-password").statusCode())
			.isEqualTo(401);
		try (Browser tom = Browser.start()) {
			assertThatThrownBy(() -> tom.login(this.env.service.baseUrl(), "tasklist", "tom", TOM_PASSWORD))
				.hasMessageContaining("is unreachable, so logins cannot be checked");
			tom.screenshot("tasklist-login-directory-down");
		}

		this.ldap.start();
		HttpResponse<String> again = this.env.service.client().webappLogin("tasklist", "tom", TOM_PASSWORD);
		assertThat(again.statusCode()).as("the directory is back: " + again.body()).isEqualTo(200);
	}

	@Test
	@Order(2)
	void aMemberOfNoMappedGroupIsRefusedByTasklistAndCannotAnswer() {
		HttpResponse<String> login = this.env.service.client().webappLogin("tasklist", "nora", NORA_PASSWORD);
		assertThat(login.statusCode()).as(login.body()).isIn(401, 403);
		Task task = awaitUatTask(Duration.ofSeconds(5));
		HttpResponse<String> complete = completeOverRest(task, "nora", NORA_PASSWORD);
		assertThat(complete.statusCode()).as(complete.body()).isIn(403, 404);
		HttpResponse<String> modify = this.env.client.postJson(
				"/engine-rest/process-instance/" + this.releaseId + "/modification",
				"{\"instructions\":[{\"type\":\"cancel\",\"activityId\":\"Task_UatApproval\"}]}", "nora",
				NORA_PASSWORD);
		assertThat(modify.statusCode()).as("camunda-admin in the directory is nobody here: " + modify.body())
			.isEqualTo(403);
		assertThat(openUatTask()).as("the task waits").isNotNull();
	}

	@Test
	@Order(2)
	// same order as the test above: neither changes what the other sees
	void jenkinsFromTheDirectoryCannotDeployProdAroundARelease() {
		String variables = "\"variables\":{\"environment\":{\"value\":\"prod\",\"type\":\"String\"},"
				+ "\"build\":{\"value\":\"" + BUILD + "\",\"type\":\"String\"}}";
		HttpResponse<String> deploy = this.env.client.postJson(
				"/engine-rest/process-definition/key/deploy-replace/start", "{" + variables + "}", "jenkins",
				JENKINS_PASSWORD);
		assertThat(deploy.statusCode()).as("a Prod deploy of its own: " + deploy.body()).isEqualTo(403);
		HttpResponse<String> skip = this.env.client.postJson("/engine-rest/process-definition/key/release/start",
				"{\"startInstructions\":[{\"type\":\"startBeforeActivity\",\"activityId\":\"CallActivity_DeployProd\"}],"
						+ variables + "}",
				"jenkins", JENKINS_PASSWORD);
		assertThat(skip.statusCode()).as("a release started at its Prod deploy: " + skip.body()).isEqualTo(403);
		assertThat(skip.body()).contains("Only an operator (group reporting-ops-admins)");
	}

	@Test
	@Order(3)
	void theRequesterCannotAnswerUnderHerIdOrAnotherSpellingOfIt() {
		Task task = awaitUatTask(Duration.ofSeconds(5));
		// the directory finds tess for each of these; only her own id logs in
		for (String spelling : List.of("Tess", " tess", "TESS ")) {
			HttpResponse<String> complete = completeOverRest(task, spelling, TESS_PASSWORD);
			assertThat(complete.statusCode()).as("'%s': %s", spelling, complete.body()).isEqualTo(401);
		}
		HttpResponse<String> complete = completeOverRest(task, "tess", TESS_PASSWORD);
		// under her own id, the task's revoke for the requester stops her before the
		// listener's rule is asked
		assertThat(complete.statusCode()).as(complete.body()).isEqualTo(403);
		assertThat(complete.body()).contains("The user with id 'tess' does not have");
		assertThat(openUatTask()).as("the task waits").isNotNull();
	}

	@Test
	@Order(4)
	void aTesterFromTheDirectoryApprovesInTasklistAndProdServesTheBuild() throws Exception {
		try (Browser tom = Browser.start()) {
			tom.login(this.env.service.baseUrl(), "tasklist", "tom", TOM_PASSWORD);
			tom.await(By.xpath("//*[contains(@class,'task-filter')]//*[contains(normalize-space(.),'UAT approvals')]"),
					Duration.ofSeconds(60))
				.click();
			tom.await(By.xpath("//*[contains(@class,'tasks-list')]//a[contains(normalize-space(.),"
					+ "'UAT approval of build " + BUILD + "')]"), Duration.ofSeconds(30))
				.click();
			assertThat(tom.await(By.id("uat-build"), Duration.ofSeconds(30)).getText()).isEqualTo(BUILD);
			tom.await(By.xpath("//*[normalize-space(.)='Claim' and (self::a or self::button)]"), Duration.ofSeconds(10))
				.click();
			tom.awaitClickable(By.id("uat-decision"), Duration.ofSeconds(10));
			new org.openqa.selenium.support.ui.Select(tom.driver().findElement(By.id("uat-decision")))
				.selectByValue("approve");
			tom.driver().findElement(By.id("uat-comment")).sendKeys("Checked on QA, logged in from the directory");
			tom.screenshot("tasklist-ldap-tester-approving");
			tom.await(By.xpath("//button[normalize-space(.)='Complete']"), Duration.ofSeconds(10)).click();
			tom.awaitGone(By.id("uat-build"), Duration.ofSeconds(30));
		}
		assertThat(this.jenkins.awaitExit(Duration.ofMinutes(2))).as(this.jenkins.output()).isZero();
		assertThat(this.jenkins.output()).contains("Approved by tom: Checked on QA")
			.contains("released: build " + BUILD + " serves on Prod");
		assertThat(this.env.front.served("prod")).contains(BUILD);
		HttpResponse<String> record = this.env.client.get("/api/deployments?environment=prod&limit=1", "olga",
				OLGA_PASSWORD);
		assertThat(record.statusCode()).as("the directory's operator reads the records: " + record.body())
			.isEqualTo(200);
		assertThat(record.body()).contains("\"approvedBy\":\"tom\"");
		// the UAT mail went to the directory's tester (tess is in the group too, but
		// asked for the release), once the directory was back to say who that is
		List<List<String>> uat = awaitMails("UAT: build " + BUILD);
		assertThat(uat).as("the UAT mail, to the testers' directory addresses").containsExactly(List.of(TOM_MAIL));
		// one message per recipient: the release's starter (Jenkins' directory account)
		// and the person it was started for, not the tester who decided
		Awaitility.await("the decision mails")
			.atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(250))
			.untilAsserted(() -> assertThat(mails("Approved: build " + BUILD))
				.as("the decision, to whoever asked for the release")
				.containsExactlyInAnyOrder(List.of("jenkins@example.org"), List.of("tess@example.org")));
	}

	@Test
	@Order(5)
	void noPasswordIsInAnyArgvEngineTableOrLogLine(CapturedOutput output) throws Exception {
		this.argv.close();
		assertThat(this.argv.leaks()).as("argv holding a password").isEmpty();
		assertThat(this.argv.seen()).as("the watch saw the programs run").anyMatch((seen) -> seen.contains("slapd"));
		try (Connection engine = this.env.service.bean(DataSource.class).getConnection()) {
			assertThat(SecretScan.engineTables(engine, SECRETS)).as("ACT_ tables holding a password").isEmpty();
		}
		assertThat(output.getAll()).as("the service's log").contains("Users and groups come from the directory");
		for (String secret : SECRETS) {
			assertThat(output.getAll()).as("the service's log").doesNotContain(secret);
		}
	}

	/**
	 * The recipients of each mail (one per Message-ID) whose subject starts so, once
	 * there is one.
	 */
	private List<List<String>> awaitMails(String subject) {
		return Awaitility.await("a mail '" + subject + "'")
			.atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> mails(subject), (found) -> !found.isEmpty());
	}

	private List<List<String>> mails(String subject) throws Exception {
		Map<String, List<String>> byId = new LinkedHashMap<>();
		for (MimeMessage message : this.smtp.getReceivedMessages()) {
			if (message.getSubject().startsWith(subject)) {
				Address[] to = Objects.requireNonNullElse(message.getRecipients(Message.RecipientType.TO),
						new Address[0]);
				byId.putIfAbsent(message.getMessageID(),
						Stream.of(to).map((address) -> ((InternetAddress) address).getAddress()).sorted().toList());
			}
		}
		return List.copyOf(byId.values());
	}

	private HttpResponse<String> completeOverRest(Task task, String user, String password) {
		return this.env.client.postJson("/engine-rest/task/" + task.getId() + "/complete",
				"{\"variables\":{\"uatDecision\":{\"value\":\"approve\",\"type\":\"String\"},"
						+ "\"uatComment\":{\"value\":\"looks fine\",\"type\":\"String\"}}}",
				user, password);
	}

	private Task openUatTask() {
		return this.env.service.bean(TaskService.class)
			.createTaskQuery()
			.processInstanceId(this.releaseId)
			.taskDefinitionKey("Task_UatApproval")
			.singleResult();
	}

	private Task awaitUatTask(Duration limit) {
		return Awaitility.await("the UAT task of release " + this.releaseId)
			.atMost(limit)
			.pollInterval(Duration.ofMillis(200))
			.until(this::openUatTask, (task) -> task != null);
	}

}
