package au.edu.unimelb.reporting.ops.support;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The login form of a Camunda webapp (Cockpit, Tasklist, Admin), filled in as a person
 * does, without the races a fast robot meets on it.
 *
 * <p>
 * Tasklist moves the focus to the user name field ({@code [autofocus]}) 300 ms after the
 * app starts ({@code setTimeout} in {@code camunda-tasklist-bootstrap.js}); the login
 * form is often shown before that. When the timer fires while the password is being
 * typed, the rest of the keystrokes land in the user name field: the password field stays
 * empty, the browser blocks the submit (the field is {@code required}: "Please fill out
 * this field"), nothing is sent, and the form never goes away. (Had some characters made
 * it, a wrong password would have been sent: Camunda counts it as a failed attempt and
 * locks the user out for a few seconds, longer after each one.) The same happens when the
 * view is built again under the robot's hands: any request answered 401 makes the app
 * reload its route, with an empty form.
 *
 * <p>
 * Hence: fill in the form once the app has settled (bootstrapped, no request or timer of
 * its own pending, as AngularJS's testability API tells); check that the form on the page
 * now holds the values, in its fields and in Angular's model, and type them again when it
 * does not, before anything is sent; then watch the login request itself. A login is
 * tried again only when the credentials never left the browser; a refusal fails at once,
 * with Camunda's answer.
 */
final class CamundaLogin {

	private static final Logger log = LoggerFactory.getLogger(CamundaLogin.class);

	private static final String FORM = "form[name=signinForm]";

	private static final By PASSWORD = By.cssSelector(FORM + " input[type=password]");

	private static final By USERNAME = By.cssSelector(FORM + " input[type=text]");

	private static final By SUBMIT = By.cssSelector(FORM + " button[type=submit]");

	/** Times the form may be replaced before it was sent. */
	private static final int TRIES = 3;

	/**
	 * Counts the login requests ({@code POST .../auth/user/ENGINE/login/APP}) the page
	 * sends, and keeps the last answer's status and body.
	 */
	private static final String WATCH_LOGIN_REQUESTS = """
			if (!window.__opsLogin) {
			  var watch = window.__opsLogin = { sent: 0, status: null, body: null };
			  var open = XMLHttpRequest.prototype.open, send = XMLHttpRequest.prototype.send;
			  XMLHttpRequest.prototype.open = function (method, url) {
			    this.__opsLogin = method === 'POST' && /\\/auth\\/user\\/[^\\/]+\\/login\\//.test(url);
			    return open.apply(this, arguments);
			  };
			  XMLHttpRequest.prototype.send = function () {
			    if (this.__opsLogin) {
			      var request = this;
			      watch.sent++;
			      watch.status = null;
			      request.addEventListener('loadend', function () {
			        watch.status = request.status;
			        watch.body = request.responseText;
			      });
			    }
			    return send.apply(this, arguments);
			  };
			}
			""";

	/**
	 * Whether the app has settled with its login form shown: AngularJS bootstrapped, none
	 * of its requests or timers pending.
	 */
	private static final String SETTLED = """
			var form = document.querySelector('%s');
			if (!form || !form.querySelector('input[type=password]') || !window.angular) return false;
			var stable = false;
			try {
			  angular.getTestability(document.documentElement).whenStable(function () { stable = true; });
			} catch (notBootstrapped) {
			  return false;
			}
			return stable;
			""".formatted(FORM);

	/**
	 * What the form's fields hold now: in the page, and in Angular's model (what the app
	 * will send).
	 */
	private static final String FIELDS = """
			var form = document.querySelector('%s');
			if (!form) return null;
			var user = form.querySelector('input[type=text]'), password = form.querySelector('input[type=password]');
			function model(input) {
			  var ngModel = angular.element(input).controller('ngModel');
			  return ngModel ? ngModel.$viewValue : null;
			}
			return { user: user.value, password: password.value, userModel: model(user), passwordModel: model(password) };
			"""
		.formatted(FORM);

	/** Where the login stands after the submit. */
	private static final String OUTCOME = """
			var watch = window.__opsLogin || { sent: 0 };
			var form = document.querySelector('%s');
			var password = form && form.querySelector('input[type=password]');
			var shown = !!password && password.offsetParent !== null;
			var errors = Array.prototype.slice.call(document.querySelectorAll('[notifications-panel] .alert'))
			  .map(function (alert) { return alert.innerText.trim(); })
			  .filter(function (text) { return text.length > 0; });
			var pending = true;
			try {
			  angular.getTestability(document.documentElement).whenStable(function () { pending = false; });
			} catch (notBootstrapped) {
			}
			return { sent: watch.sent, status: watch.status, body: watch.body, formShown: shown,
			         passwordEmpty: shown && password.value === '', errors: errors, pending: pending };
			""".formatted(FORM);

	private final Browser browser;

	private final String app;

	private final String user;

	private final String password;

	CamundaLogin(Browser browser, String app, String user, String password) {
		this.browser = browser;
		this.app = app;
		this.user = user;
		this.password = password;
	}

	void run() {
		for (int attempt = 1; attempt <= TRIES; attempt++) {
			this.browser.until((driver) -> Boolean.TRUE.equals(this.browser.script(SETTLED)) ? Boolean.TRUE : null,
					Duration.ofSeconds(60), "the " + this.app + " login page, settled (no request pending)");
			fillIn();
			this.browser.script(WATCH_LOGIN_REQUESTS);
			this.browser.driver().findElement(SUBMIT).click();
			Outcome outcome = this.browser.until(this::outcome, Duration.ofSeconds(30),
					this.user + "'s login to " + this.app + " to be let in or refused");
			switch (outcome.kind()) {
				case LET_IN -> {
					return;
				}
				case REFUSED ->
					throw this.browser.failure(
							this.app + " refused " + this.user + "'s login: HTTP " + outcome.state().get("status") + " "
									+ outcome.state().get("body") + ", shown as " + outcome.state().get("errors"),
							null);
				case NOT_SENT ->
					log.warn("{}'s login form was emptied before it was sent (try {} of {}): " + "filling it in again",
							this.app, attempt, TRIES);
			}
		}
		throw this.browser
			.failure(this.app + "'s login form was emptied before it was sent, " + TRIES + " times in a row", null);
	}

	/** Types the values in, and checks they are there, in the page and in the model. */
	private void fillIn() {
		Map<String, Object> fields = null;
		for (int typed = 0; typed < TRIES; typed++) {
			type(USERNAME, this.user);
			type(PASSWORD, this.password);
			fields = fields();
			if (fields != null && this.user.equals(fields.get("user")) && this.password.equals(fields.get("password"))
					&& this.user.equals(fields.get("userModel")) && this.password.equals(fields.get("passwordModel"))) {
				return;
			}
			log.warn("The {} login form does not hold what was typed ({}): typing it again", this.app,
					(fields == null) ? "no form" : masked(fields));
		}
		throw this.browser.failure("The " + this.app + " login form does not keep what was typed into it: "
				+ (fields == null ? "no form" : masked(fields)), null);
	}

	private void type(By field, String value) {
		WebElement input = this.browser.awaitClickable(field, Duration.ofSeconds(10));
		input.clear();
		input.sendKeys(value);
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> fields() {
		return (Map<String, Object>) this.browser.script(FIELDS);
	}

	/**
	 * The fields as they are, by length only (the password's characters may be in the
	 * user name field).
	 */
	private String masked(Map<String, Object> fields) {
		return "user name field " + described(fields.get("user"), this.user) + " (model "
				+ described(fields.get("userModel"), this.user) + "), password field "
				+ described(fields.get("password"), this.password) + " (model "
				+ described(fields.get("passwordModel"), this.password) + ")";
	}

	private static String described(Object value, String expected) {
		if (expected.equals(value)) {
			return "as typed";
		}
		return length(value) + " characters, not the " + expected.length() + " typed";
	}

	private static String length(Object value) {
		return (value == null) ? "none" : Integer.toString(value.toString().length());
	}

	/**
	 * The outcome once there is one: {@code null} while the login is on its way.
	 */
	@SuppressWarnings("unchecked")
	private Outcome outcome(org.openqa.selenium.WebDriver driver) {
		Map<String, Object> state = (Map<String, Object>) this.browser.script(OUTCOME);
		Number status = (Number) state.get("status");
		if (!Boolean.TRUE.equals(state.get("formShown"))) {
			return new Outcome(Kind.LET_IN, state);
		}
		if ((status != null && status.intValue() != 200) || !((List<?>) state.get("errors")).isEmpty()) {
			return new Outcome(Kind.REFUSED, state);
		}
		boolean neverSent = ((Number) state.get("sent")).intValue() == 0
				&& Boolean.TRUE.equals(state.get("passwordEmpty")) && !Boolean.TRUE.equals(state.get("pending"));
		return neverSent ? new Outcome(Kind.NOT_SENT, state) : null;
	}

	private enum Kind {

		/** The login form is gone: the app shows what the user may see. */
		LET_IN,

		/** Camunda answered the login with an error, or the page shows one. */
		REFUSED,

		/**
		 * The form is back empty, nothing is pending and no login request was sent: the
		 * view was built again (or the submit blocked) before the form was sent.
		 */
		NOT_SENT

	}

	private record Outcome(Kind kind, Map<String, Object> state) {
	}

}
