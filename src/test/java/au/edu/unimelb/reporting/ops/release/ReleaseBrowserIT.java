package au.edu.unimelb.reporting.ops.release;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import au.edu.unimelb.reporting.ops.nightly.BackupRecords;
import au.edu.unimelb.reporting.ops.support.Browser;
import au.edu.unimelb.reporting.ops.support.LoopbackDeployEnvironment;
import au.edu.unimelb.reporting.ops.support.LoopbackSshd;
import au.edu.unimelb.reporting.ops.support.ScriptRun;
import au.edu.unimelb.reporting.ops.support.ThreadDumpOnTimeout;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import org.awaitility.Awaitility;
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
import org.openqa.selenium.WebElement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A release as people do it, on the running service with the loopback test bed (real
 * Keystone + Heat, nginx web fronts for QA and Prod, sshd): Jenkins' script starts it and
 * follows it; a tester logs in to Tasklist in headless Chromium, opens the UAT task, sees
 * the build and the QA link, and approves with a comment; the release goes on to Prod and
 * Prod's web front serves the new build. Also: the person the release was started for
 * does not see the task; a tester rejects the next build and the script fails with the
 * reason; an operator sees the release and its deploys drawn in Cockpit. Screenshots go
 * to {@code target/screenshots/}.
 *
 * <p>
 * Notifications, on a real SMTP server (GreenMail, in this JVM on loopback) and a
 * loopback chat webhook: the UAT mail reaches the tester who may answer, once, and the
 * tester follows its link through the login page to the task; the requester gets the
 * decision, the operators the Prod deploy; with the SMTP port closed a rollback still
 * runs and the failure is counted in {@code /actuator/prometheus}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@ExtendWith(ThreadDumpOnTimeout.class)
class ReleaseBrowserIT {

	static final String ADMIN_PASSWORD = "release-it-admin-7c2a";

	static final String TOM_PASSWORD = "release-it-tom-3b9d";

	static final String TESS_PASSWORD = "release-it-tess-8e4f";

	static final String BUILD = "2026.11.25-1";

	static final String NEXT_BUILD = "2026.11.25-2";

	static final String OPERATORS = "ops-team@reporting.test";

	LoopbackDeployEnvironment env;

	String releaseId;

	GreenMail smtp;

	ChatHook chat;

	@BeforeAll
	void start(@TempDir Path dir) throws Exception {
		this.smtp = new GreenMail(new ServerSetup(LoopbackSshd.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
		this.smtp.start();
		this.chat = ChatHook.start();
		int port = LoopbackSshd.freePort();
		this.env = LoopbackDeployEnvironment.start(dir, Map.ofEntries(Map.entry("ops.deploy.poll-initial", "200ms"),
				Map.entry("ops.deploy.poll-max", "1s"), Map.entry("server.port", Integer.toString(port)),
				Map.entry("ops.notify.public-url", "http://127.0.0.1:" + port),
				Map.entry("ops.notify.mail.host", "127.0.0.1"),
				Map.entry("ops.notify.mail.port", Integer.toString(this.smtp.getSmtp().getPort())),
				Map.entry("ops.notify.mail.starttls", "false"),
				Map.entry("ops.notify.mail.from", "reporting-ops@reporting.test"),
				Map.entry("ops.notify.operators[0]", OPERATORS), Map.entry("ops.notify.webhook-url", this.chat.url()),
				Map.entry("ops.notify.attempts", "2"), Map.entry("ops.notify.backoff", "200ms"),
				Map.entry("ops.security.testers[0].email", "tom@reporting.test"),
				Map.entry("ops.security.testers[1].email", "tess@reporting.test"),
				Map.entry("ops.security.admin-password", ADMIN_PASSWORD),
				Map.entry("ops.security.testers[0].id", "tom"),
				Map.entry("ops.security.testers[0].password", TOM_PASSWORD),
				Map.entry("ops.security.testers[0].first-name", "Tom"),
				Map.entry("ops.security.testers[0].last-name", "Tester"),
				Map.entry("ops.security.testers[1].id", "tess"),
				Map.entry("ops.security.testers[1].password", TESS_PASSWORD),
				Map.entry("ops.security.testers[1].first-name", "Tess"),
				Map.entry("ops.security.testers[1].last-name", "Requester")));
		// Prod may be deployed only after a recent verified backup (the backup itself is
		// tested in the backup tests): one is recorded as made just now.
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
			if (this.env != null) {
				this.env.close();
			}
		}
		finally {
			this.smtp.stop();
			this.chat.close();
		}
	}

	@Test
	@Order(1)
	void aTesterApprovesInTasklistAndProdServesTheBuild() throws Exception {
		try (ScriptRun jenkins = release(this.env, BUILD, "tess")) {
			jenkins.awaitLine("waiting for UAT approval", Duration.ofMinutes(3));
			this.releaseId = jenkins.releaseId();
			refusesBadStartsAndASecondRelease();

			try (Browser tess = Browser.start()) {
				tess.login(this.env.service.baseUrl(), "tasklist", "tess", TESS_PASSWORD);
				openUatFilter(tess);
				// the list shows what the filter found (the task exists by now): only
				// then
				// does an empty list mean she does not see it
				awaitTaskListLoaded(tess);
				assertThat(tess.driver().findElements(taskLink(BUILD))).as("tess asked for this release").isEmpty();
				tess.screenshot("tasklist-requester-sees-no-task");
			}

			Mail uat = Mail.awaitOne(this.smtp, "UAT: build " + BUILD);
			assertThat(uat.to()).as("the testers who may answer (tess asked for it)")
				.containsExactly("tom@reporting.test");
			String taskId = this.env.service.bean(org.camunda.bpm.engine.TaskService.class)
				.createTaskQuery()
				.processInstanceId(this.releaseId)
				.singleResult()
				.getId();
			String mailed = this.env.service.baseUrl() + "/camunda/app/tasklist/default/#/?task=" + taskId;
			assertThat(uat.body()).contains("Open the task: " + mailed).contains("Build: " + BUILD);
			assertThat(this.chat.texts()).anySatisfy((text) -> assertThat(text).contains("?task=" + taskId));

			try (Browser tom = Browser.start()) {
				// the mailed link, followed through the login page, opens the task's form
				tom.followLinkAndLogIn(mailed, "tasklist", "tom", TOM_PASSWORD);
				assertThat(tom.await(By.id("uat-build"), Duration.ofSeconds(30)).getText()).isEqualTo(BUILD);
				tom.screenshot("tasklist-uat-task-from-mail");
				WebElement link = tom.await(By.id("uat-qa-link"), Duration.ofSeconds(10));
				assertThat(link.getAttribute("href")).startsWith(this.env.front.publicUrl("qa"));
				assertThat(tom.driver().findElement(By.id("uat-qa-stack")).getText()).startsWith(this.env.prefix);
				assertThat(tom.driver().findElement(By.id("uat-started-by")).getText()).contains("jenkins")
					.contains("tess");
				tom.screenshot("tasklist-uat-task");
				claim(tom);
				new org.openqa.selenium.support.ui.Select(tom.driver().findElement(By.id("uat-decision")))
					.selectByValue("approve");
				tom.driver().findElement(By.id("uat-comment")).sendKeys("Reports and login checked on QA");
				tom.screenshot("tasklist-uat-approving");
				// Prod's new stack takes a while to create, long enough for an operator
				// to look
				this.env.heat.knobs(Map.of("fake_server_ip", "127.0.0.12", "fake_server_create_secs", "20"));
				completeTask(tom);
			}
			operatorSeesTheReleaseAndItsProdDeployInCockpit(jenkins);

			assertThat(jenkins.awaitExit(Duration.ofMinutes(4))).as(jenkins.output()).isZero();
			assertThat(jenkins.output()).contains("[qa] stack " + this.env.prefix)
				.contains("[qa] web front switched to 127.0.0.12:")
				.contains("waiting for UAT approval in Tasklist")
				.contains("Approved by tom: Reports and login checked on QA")
				.contains("recent enough for build " + BUILD)
				.contains("[prod] stack " + this.env.prodPrefix)
				.contains("[prod] deployed")
				.contains("released: build " + BUILD + " serves on Prod");
		}
		assertThat(this.env.front.served("prod")).contains(BUILD);
		String prodRecord = this.env.client.get("/api/deployments?environment=prod&limit=1", "admin", ADMIN_PASSWORD)
			.body();
		assertThat(prodRecord).contains("\"approvedBy\":\"tom\"")
			.contains("\"approvalComment\":\"Reports and login checked on QA\"")
			.contains("\"releaseId\":\"" + this.releaseId + "\"");
		Mail decided = Mail.awaitOne(this.smtp, "Approved: build " + BUILD);
		assertThat(decided.to()).as("the requester (jenkins, who started it, has no address)")
			.containsExactly("tess@reporting.test");
		assertThat(decided.body()).contains("Approved by tom: Reports and login checked on QA");
		Mail prod = Mail.awaitOne(this.smtp, "Prod deployed: build " + BUILD);
		assertThat(prod.to()).containsExactly(OPERATORS);
		assertThat(prod.body()).contains("Environment: prod").contains("Stack: " + this.env.prodPrefix);
		assertThat(Mail.all(this.smtp)).as("one mail per event").hasSize(3);
	}

	@Test
	@Order(2)
	void aTesterRejectsAndTheScriptFailsWithTheReason() throws Exception {
		// QA's next server is blue; Prod stays on green, with the approved build
		this.env.blue.serve(NEXT_BUILD);
		this.env.heat.knobs(Map.of("fake_server_ip", "127.0.0.11"));
		try (ScriptRun jenkins = release(this.env, NEXT_BUILD, "tess"); Browser tom = Browser.start()) {
			jenkins.awaitLine("waiting for UAT approval", Duration.ofMinutes(3));
			tom.login(this.env.service.baseUrl(), "tasklist", "tom", TOM_PASSWORD);
			openUatFilter(tom);
			tom.await(taskLink(NEXT_BUILD), Duration.ofSeconds(30)).click();
			tom.await(By.id("uat-build"), Duration.ofSeconds(30));
			claim(tom);
			new org.openqa.selenium.support.ui.Select(tom.driver().findElement(By.id("uat-decision")))
				.selectByValue("reject");
			tom.driver().findElement(By.id("uat-comment")).sendKeys("The export button is gone");
			completeTask(tom);
			tom.screenshot("tasklist-uat-rejected");

			assertThat(jenkins.awaitExit(Duration.ofMinutes(2))).as(jenkins.output()).isEqualTo(4);
			assertThat(jenkins.output()).contains("REJECTED: Rejected by tom: The export button is gone");
		}
		Mail rejected = Mail.awaitOne(this.smtp, "Rejected: build " + NEXT_BUILD);
		assertThat(rejected.to()).containsExactly("tess@reporting.test");
		assertThat(rejected.body()).contains("Rejected by tom: The export button is gone");
		assertThat(this.env.front.served("qa")).as("QA keeps the rejected build").contains(NEXT_BUILD);
		assertThat(this.env.front.served("prod")).as("Prod still serves the approved build")
			.contains(BUILD)
			.doesNotContain(NEXT_BUILD);
	}

	@Test
	@Order(3)
	void withTheMailServerDownARollbackStillRunsAndTheFailureIsCounted() throws Exception {
		this.smtp.stop();
		java.net.http.HttpResponse<String> started = this.env.client.postJson(
				"/engine-rest/process-definition/key/rollback/start",
				"{\"variables\":{\"environment\":{\"value\":\"qa\"}}}", "admin", ADMIN_PASSWORD);
		assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
		java.util.regex.Matcher id = java.util.regex.Pattern.compile("\"id\":\"([^\"]+)\"").matcher(started.body());
		assertThat(id.find()).as(started.body()).isTrue();
		org.camunda.bpm.engine.HistoryService history = this.env.service
			.bean(org.camunda.bpm.engine.HistoryService.class);
		Awaitility.await("rollback " + id.group(1) + " to end with the mail server down")
			.atMost(Duration.ofMinutes(2))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> history.createHistoricProcessInstanceQuery()
				.processInstanceId(id.group(1))
				.finished()
				.count() == 1);
		Awaitility.await("the failed mail to be counted")
			.atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> this.env.client.get("/actuator/prometheus", "admin", ADMIN_PASSWORD)
				.body()
				.lines()
				.anyMatch((line) -> line.startsWith("reporting_notifications_failed_total{")
						&& line.contains("channel=\"mail\"") && line.contains("event=\"rollback\"")
						&& line.endsWith(" 1.0")));
		// the chat still hears of it
		assertThat(this.chat.texts()).anySatisfy((text) -> assertThat(text).contains("qa").startsWith("Roll"));
	}

	/** Start requests are checked before anything starts, and answered with a reason. */
	private void refusesBadStartsAndASecondRelease() {
		long before = this.env.service.bean(org.camunda.bpm.engine.HistoryService.class)
			.createHistoricProcessInstanceQuery()
			.count();
		assertRefused("release", "{}", 400, "The variable 'build' is missing");
		assertRefused("release", "{\"variables\":{\"build\":{\"value\":\"1.0;reboot\",\"type\":\"String\"}}}", 400,
				"is not a build reference");
		assertRefused("release", "{\"variables\":{\"build\":{\"value\":\"" + NEXT_BUILD + "\",\"type\":\"String\"}}}",
				409, "Locked by another run: release is held by the release of build " + BUILD);
		assertRefused("no-such-process", "{}", 404, "no-such-process");
		assertThat(this.env.service.bean(org.camunda.bpm.engine.HistoryService.class)
			.createHistoricProcessInstanceQuery()
			.count()).as("nothing started").isEqualTo(before);
	}

	private void assertRefused(String key, String body, int status, String message) {
		java.net.http.HttpResponse<String> response = this.env.client.postJson(
				"/engine-rest/process-definition/key/" + key + "/start", body, "jenkins",
				LoopbackDeployEnvironment.JENKINS_PASSWORD);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.body()).contains(message);
	}

	/**
	 * While Prod deploys: the release and its running deploy-replace, each drawn by
	 * Cockpit with where it stands.
	 */
	private void operatorSeesTheReleaseAndItsProdDeployInCockpit(ScriptRun jenkins) throws Exception {
		jenkins.awaitLine("recent enough for build " + BUILD, Duration.ofMinutes(2));
		org.camunda.bpm.engine.RuntimeService runtime = this.env.service
			.bean(org.camunda.bpm.engine.RuntimeService.class);
		String prodDeploy = Awaitility.await("the Prod deploy-replace called by release " + this.releaseId)
			.atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> runtime.createProcessInstanceQuery().superProcessInstanceId(this.releaseId).singleResult(),
					Objects::nonNull)
			.getId();
		try (Browser operator = Browser.start()) {
			operator.login(this.env.service.baseUrl(), "cockpit", "admin", ADMIN_PASSWORD);
			operator.open(this.env.service.baseUrl() + "/camunda/app/cockpit/default/#/process-instance/"
					+ this.releaseId + "/runtime");
			operator.await(By.cssSelector("g.djs-element[data-element-id='CallActivity_DeployProd']"),
					Duration.ofSeconds(60));
			Thread.sleep(1000);
			operator.screenshot("cockpit-release-at-prod-deploy");
			operator.open(this.env.service.baseUrl() + "/camunda/app/cockpit/default/#/process-instance/" + prodDeploy
					+ "/runtime");
			operator.await(By.cssSelector("g.djs-element[data-element-id='Task_CheckStack']"), Duration.ofSeconds(60));
			Thread.sleep(1000);
			operator.screenshot("cockpit-release-prod-deploy-replace");
		}
		this.env.heat.knobs(Map.of("fake_server_ip", "127.0.0.12"));
	}

	private static By taskLink(String build) {
		return By.xpath("//*[contains(@class,'tasks-list')]//a[contains(normalize-space(.),'UAT approval of build "
				+ build + "')]");
	}

	/**
	 * Waits until the task list shows what the chosen filter found: its tasks, or that it
	 * found none.
	 */
	private static void awaitTaskListLoaded(Browser browser) {
		browser.await(By.xpath("//*[contains(@class,'task-filters')]//*[contains(@class,'item') and contains(@class,"
				+ "'active')][contains(normalize-space(.),'UAT approvals')]"), Duration.ofSeconds(30));
		browser.await(By.xpath("//section[contains(@class,'tasks-list')]//*[(contains(@class,'well') and "
				+ "contains(normalize-space(.),'No task matching filters found')) or (self::li and contains(@class,"
				+ "'task'))]"), Duration.ofSeconds(30));
	}

	private static void openUatFilter(Browser browser) {
		browser
			.await(By.xpath("//*[contains(@class,'task-filter')]//*[contains(normalize-space(.),'UAT approvals')]"),
					Duration.ofSeconds(60))
			.click();
	}

	/**
	 * Takes the task (Tasklist keeps a candidate's form read-only until they claim it).
	 */
	private static void claim(Browser browser) {
		browser.await(By.xpath("//*[normalize-space(.)='Claim' and (self::a or self::button)]"), Duration.ofSeconds(10))
			.click();
		browser.awaitClickable(By.id("uat-decision"), Duration.ofSeconds(10));
	}

	private static void completeTask(Browser browser) {
		browser.await(By.xpath("//button[normalize-space(.)='Complete']"), Duration.ofSeconds(10)).click();
		browser.awaitGone(By.id("uat-build"), Duration.ofSeconds(30));
	}

	/**
	 * {@code scripts/release.sh} as Jenkins runs it, its output collected line by line.
	 */

	/** Jenkins' script, as the application's pipeline runs it. */
	private static ScriptRun release(LoopbackDeployEnvironment env, String build, String requestedBy) {
		List<String> argv = (requestedBy != null) ? List.of("scripts/release.sh", build, requestedBy)
				: List.of("scripts/release.sh", build);
		return ScriptRun.start(argv, Map.of("OPS_URL", env.service.baseUrl(), "OPS_USER", "jenkins", "OPS_PASSWORD",
				LoopbackDeployEnvironment.JENKINS_PASSWORD, "OPS_POLL_SECONDS", "1"));
	}

	/**
	 * An event's mail as GreenMail received it: the service sends one message per
	 * recipient, joined here by subject; a recipient who got it twice is in {@code to}
	 * twice.
	 */
	record Mail(String subject, List<String> to, String body) {

		static List<Mail> all(GreenMail smtp) throws Exception {
			java.util.Map<String, Mail> bySubject = new java.util.LinkedHashMap<>();
			for (jakarta.mail.internet.MimeMessage message : smtp.getReceivedMessages()) {
				List<String> to = java.util.stream.Stream
					.of(java.util.Objects.requireNonNullElse(
							message.getRecipients(jakarta.mail.Message.RecipientType.TO), new jakarta.mail.Address[0]))
					.map((address) -> ((jakarta.mail.internet.InternetAddress) address).getAddress())
					.toList();
				Mail mail = new Mail(message.getSubject(), to, message.getContent().toString());
				bySubject.merge(message.getSubject(), mail, (one, other) -> new Mail(one.subject(),
						java.util.stream.Stream.concat(one.to().stream(), other.to().stream()).sorted().toList(),
						one.body()));
			}
			return List.copyOf(bySubject.values());
		}

		/** Waits for the one mail whose subject starts so; fails on none or two. */
		static Mail awaitOne(GreenMail smtp, String subject) throws Exception {
			Awaitility.await("a mail '" + subject + "'")
				.atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(200))
				.until(() -> all(smtp).stream().anyMatch((mail) -> mail.subject().startsWith(subject)));
			List<Mail> found = all(smtp).stream().filter((mail) -> mail.subject().startsWith(subject)).toList();
			assertThat(found).as("mails '%s'", subject).hasSize(1);
			return found.get(0);
		}

	}

	/** A chat's incoming webhook on loopback: keeps the text of every POST. */
	static final class ChatHook implements AutoCloseable {

		private final com.sun.net.httpserver.HttpServer server;

		private final List<String> texts = new java.util.concurrent.CopyOnWriteArrayList<>();

		private ChatHook(com.sun.net.httpserver.HttpServer server) {
			this.server = server;
		}

		static ChatHook start() throws java.io.IOException {
			com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer
				.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
			ChatHook hook = new ChatHook(server);
			server.createContext("/services/T0/B0/hook-token-5e1d", (exchange) -> {
				String body = new String(exchange.getRequestBody().readAllBytes(),
						java.nio.charset.StandardCharsets.UTF_8);
				hook.texts.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).get("text").asText());
				exchange.sendResponseHeaders(200, -1);
				exchange.close();
			});
			server.start();
			return hook;
		}

		String url() {
			return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/services/T0/B0/hook-token-5e1d";
		}

		List<String> texts() {
			return List.copyOf(this.texts);
		}

		@Override
		public void close() {
			this.server.stop(0);
		}

	}

}
