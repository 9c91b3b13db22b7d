package au.edu.unimelb.reporting.ops.webfront;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings;
import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings.WebFrontSettings;
import au.edu.unimelb.reporting.ops.ssh.SshCommands;
import au.edu.unimelb.reporting.ops.ssh.SshResult;
import au.edu.unimelb.reporting.ops.ssh.SshTarget;

import org.springframework.stereotype.Component;

/**
 * The one facade over an environment's nginx web front: reads and switches the app server
 * it proxies to, by running the switch script ({@code web_front/reporting-switch}) on the
 * web-front host over SSH. The script changes the target without reloading nginx, reads
 * it back, and restores the previous one when anything fails.
 */
@Component
public class WebFrontSwitch {

	/** {@code IPv4:port}, the only target form a switch takes. */
	public static final Pattern ADDRESS = Pattern
		.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d):([1-9]\\d{0,4})");

	private static final Pattern SWITCHED = Pattern.compile("switched (\\S+) from (\\S+) to (\\S+)");

	private static final Pattern UNCHANGED = Pattern.compile("unchanged (\\S+) (\\S+)");

	private final EnvironmentsSettings environments;

	private final SshCommands ssh;

	public WebFrontSwitch(EnvironmentsSettings environments, SshCommands ssh) {
		this.environments = environments;
		this.ssh = ssh;
	}

	/**
	 * @return the address the environment's web front proxies to now
	 * ({@code reporting-switch ENV show})
	 */
	public String current(String environment) {
		SshResult result = run(environment, List.of("show"));
		if (result.exitStatus() != 0) {
			throw new WebFrontException("Reading the " + environment + " web front's target failed (exit "
					+ result.exitStatus() + "): " + result.stderr().strip());
		}
		return result.stdout().strip();
	}

	/**
	 * Points the environment's web front at an address
	 * ({@code reporting-switch ENV set IP:PORT}).
	 * @param address the new app server, {@code IP:PORT}
	 * @return what changed
	 * @throws WebFrontException when the switch failed (the script restored the previous
	 * target unless the message says otherwise)
	 */
	public SwitchResult switchTo(String environment, String address) {
		if (!ADDRESS.matcher(address).matches()) {
			throw new IllegalArgumentException("Not an IPv4 address and port: " + address);
		}
		SshResult result = run(environment, List.of("set", address));
		String out = result.stdout().strip();
		if (result.exitStatus() == 0) {
			Matcher switched = SWITCHED.matcher(out);
			if (switched.find()) {
				return new SwitchResult(environment, switched.group(2), switched.group(3), true);
			}
			Matcher unchanged = UNCHANGED.matcher(out);
			if (unchanged.find()) {
				return new SwitchResult(environment, unchanged.group(2), unchanged.group(2), false);
			}
			throw new WebFrontException("The " + environment + " web front answered the switch with '" + out
					+ "'; expected 'switched …' or 'unchanged …'");
		}
		String why = switch (result.exitStatus()) {
			case 2 -> "refused the input";
			case 3 -> "failed and restored the previous target";
			case 4 -> "failed AND could not restore the previous target: check the web front now";
			default -> "failed with exit " + result.exitStatus();
		};
		throw new WebFrontException("Switching the " + environment + " web front to " + address + " " + why + ": "
				+ result.stderr().strip());
	}

	private SshResult run(String environment, List<String> arguments) {
		WebFrontSettings webFront = this.environments.find(environment)
			.orElseThrow(() -> new IllegalArgumentException("Environment " + environment + " is not configured"))
			.webFront();
		List<String> argv = new ArrayList<>(webFront.switchCommand());
		argv.add(environment);
		argv.addAll(arguments);
		SshTarget target = new SshTarget(webFront.host(), webFront.port(), webFront.user(), webFront.privateKeyPath(),
				webFront.knownHostsPath(), Duration.ofSeconds(webFront.timeoutSeconds()));
		return this.ssh.run(target, argv);
	}

}
