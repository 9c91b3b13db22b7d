package au.edu.unimelb.reporting.ops.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

/**
 * A real OpenSSH sshd on 127.0.0.1 with its own host key, config and authorized key, for
 * tests (run as root, as the test command does). The client side gets a private key and a
 * known_hosts file that holds the host key.
 */
public final class LoopbackSshd implements AutoCloseable {

	private final Path dir;

	private final String address;

	private final int port;

	private final List<String> command;

	private final Process process;

	private LoopbackSshd(Path dir, String address, int port, List<String> command, Process process) {
		this.dir = dir;
		this.address = address;
		this.port = port;
		this.command = command;
		this.process = process;
	}

	/**
	 * Starts sshd.
	 * @param dir a fresh directory for keys, config and log
	 * @param sessionEnvironment variables sshd sets for every session ({@code SetEnv})
	 */
	public static LoopbackSshd start(Path dir, Map<String, String> sessionEnvironment) throws Exception {
		Files.createDirectories(dir);
		Files.createDirectories(Path.of("/run/sshd"));
		keygen(dir.resolve("host_ed25519"));
		keygen(dir.resolve("client_ed25519"));
		Files.copy(dir.resolve("client_ed25519.pub"), dir.resolve("authorized_keys"));
		int port = freePort();
		List<String> config = new ArrayList<>(
				List.of("Port " + port, "ListenAddress 127.0.0.1", "HostKey " + dir.resolve("host_ed25519"),
						"AuthorizedKeysFile " + dir.resolve("authorized_keys"), "PidFile " + dir.resolve("sshd.pid"),
						"PasswordAuthentication no", "KbdInteractiveAuthentication no", "PubkeyAuthentication yes",
						"PermitRootLogin prohibit-password", "StrictModes no", "UsePAM no", "LogLevel VERBOSE"));
		if (!sessionEnvironment.isEmpty()) {
			StringBuilder setEnv = new StringBuilder("SetEnv");
			sessionEnvironment.forEach((name, value) -> setEnv.append(' ').append(name).append('=').append(value));
			config.add(setEnv.toString());
		}
		Path configFile = dir.resolve("sshd_config");
		Files.write(configFile, config);
		String hostKey = Files.readString(dir.resolve("host_ed25519.pub")).trim();
		String[] parts = hostKey.split(" ");
		Files.writeString(dir.resolve("known_hosts"), "[127.0.0.1]:" + port + " " + parts[0] + " " + parts[1] + "\n");
		return launch(dir, "127.0.0.1", port, List.of("/usr/sbin/sshd", "-D", "-e", "-f", configFile.toString()));
	}

	/**
	 * Starts the sshd of a stand-in app server: on its address, with the app servers'
	 * host key, letting in the service's key and the keys the service delivers. It sees
	 * its own copy of a folder: in a mount namespace of its own, {@code own} is mounted
	 * over {@code shared}, so that the same path (the setting
	 * {@code app-server.password-file}) is a different file on each stand-in, as on two
	 * servers.
	 * @param dir a fresh directory for its config and log
	 * @param address the stand-in's loopback address ({@code 127.0.0.11})
	 * @param port the SSH port (the setting {@code app-server.ssh-port})
	 * @param hostKey the host's private key file
	 * @param serviceKey the service's public key file
	 * @param deliveredKeys the extra authorized keys file the service writes (under
	 * {@code shared})
	 * @param shared the folder the settings name
	 * @param own this server's folder, seen at {@code shared}
	 */
	public static LoopbackSshd startAppServer(Path dir, String address, int port, Path hostKey, Path serviceKey,
			Path deliveredKeys, Path shared, Path own) throws Exception {
		Files.createDirectories(dir);
		Files.createDirectories(Path.of("/run/sshd"));
		Files.createDirectories(shared);
		Files.createDirectories(own);
		Files.copy(serviceKey, dir.resolve("authorized_keys"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		Path configFile = dir.resolve("sshd_config");
		Files.write(configFile,
				List.of("Port " + port, "ListenAddress " + address, "HostKey " + hostKey,
						"AuthorizedKeysFile " + dir.resolve("authorized_keys") + " " + deliveredKeys,
						"PidFile " + dir.resolve("sshd.pid"), "PasswordAuthentication no",
						"KbdInteractiveAuthentication no", "PubkeyAuthentication yes",
						"PermitRootLogin prohibit-password", "StrictModes no", "UsePAM no", "LogLevel VERBOSE"));
		return launch(dir, address, port, List.of("unshare", "--mount", "--propagation", "private", "/bin/sh", "-c",
				"mount --bind " + own + " " + shared + " && exec /usr/sbin/sshd -D -e -f " + configFile));
	}

	private static LoopbackSshd launch(Path dir, String address, int port, List<String> command) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("sshd.log").toFile()))
			.start();
		LoopbackSshd sshd = new LoopbackSshd(dir, address, port, command, process);
		sshd.awaitListening();
		return sshd;
	}

	/**
	 * Starts sshd again on the same port with the same keys (after {@link #close()}).
	 */
	public static LoopbackSshd restart(LoopbackSshd stopped) throws Exception {
		return launch(stopped.dir, stopped.address, stopped.port, stopped.command);
	}

	public int port() {
		return this.port;
	}

	public Path clientKey() {
		return this.dir.resolve("client_ed25519");
	}

	public Path knownHosts() {
		return this.dir.resolve("known_hosts");
	}

	/**
	 * A known_hosts file that names this host with another key, as after a server was
	 * replaced or spoofed.
	 */
	public Path wrongKnownHosts() throws Exception {
		Path other = this.dir.resolve("other_ed25519");
		if (!Files.exists(other)) {
			keygen(other);
		}
		String[] parts = Files.readString(this.dir.resolve("other_ed25519.pub")).trim().split(" ");
		Path file = this.dir.resolve("wrong_known_hosts");
		Files.writeString(file, "[127.0.0.1]:" + this.port + " " + parts[0] + " " + parts[1] + "\n");
		return file;
	}

	public String log() throws IOException {
		return Files.readString(this.dir.resolve("sshd.log"));
	}

	@Override
	public void close() throws Exception {
		this.process.destroy();
		if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
			this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
	}

	private void awaitListening() throws Exception {
		try {
			Awaitility.await("sshd listening on " + this.address + ":" + this.port)
				.atMost(Duration.ofSeconds(15))
				.pollInterval(Duration.ofMillis(50))
				.failFast("sshd exited", () -> !this.process.isAlive())
				.ignoreExceptionsInstanceOf(IOException.class)
				.until(() -> {
					try (Socket socket = new Socket(InetAddress.getByName(this.address), this.port)) {
						return true;
					}
				});
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException(ex.getMessage() + "; its log: " + log(), ex);
		}
	}

	/** Makes an ed25519 key pair: {@code key} and {@code key.pub}. */
	public static void keygen(Path key) throws Exception {
		Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "reporting-ops-test",
				"-f", key.toString())
			.redirectErrorStream(true)
			.start();
		String output = new String(keygen.getInputStream().readAllBytes());
		if (!keygen.waitFor(30, TimeUnit.SECONDS) || keygen.exitValue() != 0) {
			throw new IllegalStateException("ssh-keygen failed: " + output);
		}
	}

	public static int freePort() throws IOException {
		// free on each loopback address the tests serve on (the stand-in app servers use
		// 127.0.0.11 and .12): tests in another fork may hold the port on one of them
		for (int attempt = 0;; attempt++) {
			int port;
			try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
				port = socket.getLocalPort();
			}
			if (freeOn("127.0.0.11", port) && freeOn("127.0.0.12", port) || attempt >= 20) {
				return port;
			}
		}
	}

	private static boolean freeOn(String address, int port) {
		try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(address))) {
			return true;
		}
		catch (IOException taken) {
			return false;
		}
	}

}
