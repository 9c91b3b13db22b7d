package au.edu.unimelb.reporting.ops.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium, driven through Debian's chromedriver (nothing downloaded),
 * for tests that use Cockpit and Tasklist as people do. Screenshots go to
 * {@code target/screenshots/}.
 */
public final class Browser implements AutoCloseable {

	private static final Path SCREENSHOTS = Path.of("target", "screenshots");

	private final ChromeDriver driver;

	private Browser(ChromeDriver driver) {
		this.driver = driver;
	}

	public static Browser start() {
		ChromeOptions options = new ChromeOptions();
		options.setBinary("/usr/bin/chromium");
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-extensions", "--no-first-run", "--window-size=1680,1000");
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

	/**
	 * Waits until an element is visible; if it never is, saves a screenshot and the
	 * page's HTML ({@code target/screenshots/failed-*}) before failing.
	 */
	public WebElement await(By locator, Duration limit) {
		try {
			return new WebDriverWait(this.driver, limit).until(ExpectedConditions.visibilityOfElementLocated(locator));
		}
		catch (org.openqa.selenium.TimeoutException ex) {
			try {
				String name = "failed-" + System.currentTimeMillis();
				screenshot(name);
				Files.writeString(SCREENSHOTS.resolve(name + ".html"), this.driver.getPageSource());
			}
			catch (IOException | RuntimeException ignored) {
				// the timeout is the failure to report
			}
			throw ex;
		}
	}

	/** Waits until no element matches. */
	public void awaitGone(By locator, Duration limit) {
		new WebDriverWait(this.driver, limit).until(ExpectedConditions.invisibilityOfElementLocated(locator));
	}

	/**
	 * Logs in to a Camunda webapp on its login page.
	 * @param baseUrl the service's base URL
	 * @param app {@code cockpit}, {@code tasklist} or {@code admin}
	 */
	public void login(String baseUrl, String app, String user, String password) {
		open(baseUrl + "/camunda/app/" + app + "/default/#/login");
		WebElement passwordField = await(By.cssSelector("input[type=password]"), Duration.ofSeconds(60));
		WebElement userField = this.driver
			.findElement(By.cssSelector("form input[type=text], form input#inputUsername"));
		userField.clear();
		userField.sendKeys(user);
		passwordField.sendKeys(password);
		this.driver.findElement(By.cssSelector("form button[type=submit]")).click();
		new WebDriverWait(this.driver, Duration.ofSeconds(30))
			.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("input[type=password]")));
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
