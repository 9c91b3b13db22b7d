package au.edu.unimelb.reporting.ops.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Logging in to the Camunda webapps in headless Chromium, as the browser tests do. It
 * works when the page moves the focus to the user name field while the password is being
 * typed (Tasklist's start-up does, 300 ms after it starts: what made ReleaseBrowserIT
 * wait for a login form that never went away). A refused login fails at once, with
 * Camunda's answer and files that show what the browser showed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
@ExtendWith(ThreadDumpOnTimeout.class)
class BrowserLoginIT {

	static final String ADMIN_PASSWORD = "login-it-admin-4d1c";

	static final String TOM_PASSWORD = "login-it-tom-9a3e";

	/**
	 * Tasklist's focus timer at the worst moment: at the first key typed into the
	 * password field.
	 */
	static final String FOCUS_MOVED_WHILE_THE_PASSWORD_IS_TYPED = """
			document.addEventListener('keydown', function (event) {
			  if (!window.focusMoved && event.target.type === 'password') {
			    window.focusMoved = true;
			    document.querySelector('[autofocus]').focus();
			  }
			}, true);
			""";

	RunningService service;

	@BeforeAll
	void start(@TempDir Path dir) {
		this.service = RunningService
			.start(Map.of("ops.data-dir", dir.resolve("data").toString(), "ops.security.admin-password", ADMIN_PASSWORD,
					"ops.security.testers[0].id", "tom", "ops.security.testers[0].password", TOM_PASSWORD,
					"ops.security.testers[0].first-name", "Tom", "ops.security.testers[0].last-name", "Tester"));
	}

	@AfterAll
	void stop() {
		if (this.service != null) {
			this.service.close();
		}
	}

	@Test
	void logsInToTasklistWhenThePageMovesTheFocusWhileThePasswordIsTyped() {
		try (Browser browser = Browser.start()) {
			browser.onEveryPage(FOCUS_MOVED_WHILE_THE_PASSWORD_IS_TYPED);
			browser.login(this.service.baseUrl(), "tasklist", "tom", TOM_PASSWORD);
			browser.await(
					By.xpath("//*[contains(@class,'task-filter')]//*[contains(normalize-space(.),'UAT approvals')]"),
					Duration.ofSeconds(30));
			assertThat(browser.script("return window.focusMoved === true")).as("the focus was moved").isEqualTo(true);
		}
	}

	@Test
	void aRefusedLoginFailsAtOnceWithCamundasAnswerAndWhatTheBrowserShowed() throws Exception {
		try (Browser browser = Browser.start()) {
			Instant start = Instant.now();
			AssertionError refused = catchThrowableOfType(AssertionError.class,
					() -> browser.login(this.service.baseUrl(), "cockpit", "admin", "not-the-password"));

			assertThat(Duration.between(start, Instant.now())).as("failed without waiting for the form to go")
				.isLessThan(Duration.ofSeconds(20));
			assertThat(refused).hasMessageContaining("cockpit refused admin's login: HTTP 401")
				.hasMessageNotContaining("not-the-password");
			Matcher files = Pattern.compile("(/[^ ,]*/target/browser-failures/[^ ,]+\\.(png|html|console\\.log))")
				.matcher(refused.getMessage());
			int named = 0;
			while (files.find()) {
				assertThat(Path.of(files.group(1))).exists();
				named++;
			}
			assertThat(named).as("files named in: %s", refused.getMessage()).isEqualTo(3);
		}
	}

}
