package au.edu.unimelb.reporting.ops.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Collectors;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium, driven through Debian's chromedriver (nothing downloaded),
 * for tests that use Cockpit and Tasklist as people do. Screenshots go to
 * {@code target/screenshots/}. Every wait that runs out saves what the browser showed at
 * that moment (screenshot, page HTML, console log) to {@code target/browser-failures/}
 * and fails with what it waited for and the names of those files.
 */
public final class Browser implements AutoCloseable {

	private static final Path SCREENSHOTS = Path.of("target", "screenshots");

	private static final Path FAILURES = Path.of("target", "browser-failures");

	private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("HHmmss-SSS").withZone(ZoneOffset.UTC);

	private final ChromeDriver driver;

	private Browser(ChromeDriver driver) {
		this.driver = driver;
	}

	public static Browser start() {
		ChromeOptions options = new ChromeOptions();
		options.setBinary("/usr/bin/chromium");
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-extensions", "--no-first-run", "--window-size=1680,1000");
		// the page's console (errors, failed requests), kept for a failure's record
		LoggingPreferences logs = new LoggingPreferences();
		logs.enable(LogType.BROWSER, Level.ALL);
		options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
		ChromeDriverService service = new ChromeDriverService.Builder()
			.usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile())
			.usingAnyFreePort()
			.build();
		ChromeDriver driver = new ChromeDriver(service, options);
		driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
		return new Browser(driver);
	}

	public WebDriver driver() {
		return this.driver;
	}

	public void open(String url) {
		this.driver.get(url);
	}

	/** Waits until an element is visible. */
	public WebElement await(By locator, Duration limit) {
		return until(ExpectedConditions.visibilityOfElementLocated(locator), limit, "a visible " + locator);
	}

	/** Waits until an element can be clicked (visible and enabled). */
	public WebElement awaitClickable(By locator, Duration limit) {
		return until(ExpectedConditions.elementToBeClickable(locator), limit, "a clickable " + locator);
	}

	/** Waits until no element matches, or none that matches is visible. */
	public void awaitGone(By locator, Duration limit) {
		until(ExpectedConditions.invisibilityOfElementLocated(locator), limit, "no visible " + locator);
	}

	/**
	 * Waits until the condition holds (is neither {@code null} nor {@code false}).
	 * @param what what is awaited, for the failure's message
	 * @return the condition's last value
	 * @throws AssertionError when the limit passes, naming the files that show the
	 * browser at that moment
	 */
	public <T> T until(ExpectedCondition<T> condition, Duration limit, String what) {
		try {
			return new WebDriverWait(this.driver, limit).until(condition);
		}
		catch (TimeoutException ex) {
			throw failure("Waited " + limit.toSeconds() + " s for " + what, ex);
		}
	}

	/**
	 * A failure that names what the browser shows now: saves a screenshot, the page's
	 * HTML and the browser's console log under {@code target/browser-failures/}.
	 */
	public AssertionError failure(String message, Throwable cause) {
		String slug = message.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("^-|-$", "");
		String name = STAMP.format(Instant.now()) + "-" + slug.substring(0, Math.min(60, slug.length()));
		List<String> saved = new ArrayList<>();
		String url = "unknown";
		try {
			url = this.driver.getCurrentUrl();
			Files.createDirectories(FAILURES);
			Path png = FAILURES.resolve(name + ".png");
			Files.copy(this.driver.getScreenshotAs(OutputType.FILE).toPath(), png, StandardCopyOption.REPLACE_EXISTING);
			saved.add(png.toAbsolutePath().toString());
			Path html = FAILURES.resolve(name + ".html");
			Files.writeString(html, this.driver.getPageSource());
			saved.add(html.toAbsolutePath().toString());
			Path console = FAILURES.resolve(name + ".console.log");
			Files.writeString(console, consoleLog());
			saved.add(console.toAbsolutePath().toString());
		}
		catch (IOException | RuntimeException ex) {
			saved.add("(could not save all: " + ex + ")");
		}
		return new AssertionError(
				message + "; the browser was at " + url + "; what it showed: " + String.join(", ", saved), cause);
	}

	/** The browser's console since the last call, one line per message. */
	public String consoleLog() {
		return this.driver.manage()
			.logs()
			.get(LogType.BROWSER)
			.getAll()
			.stream()
			.map(LogEntry::toString)
			.collect(Collectors.joining("\n", "", "\n"));
	}

	/**
	 * Logs in to a Camunda webapp on its login page, as a person does; fails with
	 * Camunda's own message when it refuses the login.
	 * @param baseUrl the service's base URL
	 * @param app {@code cockpit}, {@code tasklist} or {@code admin}
	 */
	public void login(String baseUrl, String app, String user, String password) {
		open(baseUrl + "/camunda/app/" + app + "/default/#/login");
		new CamundaLogin(this, app, user, password).run();
	}

	/**
	 * Opens a link as a person who is not logged in yet follows it from a mail: the
	 * webapp shows its login page, the person logs in there, and the app goes on to where
	 * the link pointed.
	 * @param link a deep link into a Camunda webapp
	 * @param app {@code cockpit}, {@code tasklist} or {@code admin}
	 */
	public void followLinkAndLogIn(String link, String app, String user, String password) {
		open(link);
		new CamundaLogin(this, app, user, password).run();
	}

	/**
	 * Runs a script in every page this browser opens from now on, before the page's own
	 * scripts.
	 */
	public void onEveryPage(String script) {
		this.driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", script));
	}

	/**
	 * Runs a script in the page.
	 * @return what it returns
	 */
	Object script(String script, Object... arguments) {
		return ((JavascriptExecutor) this.driver).executeScript(script, arguments);
	}

	/**
	 * Saves a screenshot of the page.
	 * @param name the file name, without {@code .png}
	 * @return the file
	 */
	public Path screenshot(String name) throws IOException {
		Files.createDirectories(SCREENSHOTS);
		Path file = SCREENSHOTS.resolve(name + ".png");
		Files.copy(this.driver.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
		return file;
	}

	@Override
	public void close() {
		this.driver.quit();
	}

}
