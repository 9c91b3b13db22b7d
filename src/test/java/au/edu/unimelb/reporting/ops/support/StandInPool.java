package au.edu.unimelb.reporting.ops.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import au.edu.unimelb.reporting.ops.heat.StackNames;
import au.edu.unimelb.reporting.ops.heat.StackState;
import au.edu.unimelb.reporting.ops.heat.StackStatus;

/**
 * The app servers of one environment as the sandbox runs them: a few loopback addresses
 * ({@code 127.0.0.31} to {@code .34} for QA), each with a stand-in app server and its own
 * sshd, that serve whatever the Heat stack on that address asks for. Stack number
 * {@code n} of the environment gets address {@code n mod size}
 * ({@link #addressKnob(int)}, the test bed's {@code fake_server_ips}), so a new stack
 * never lands on the address of the two before it (the one serving and the way back that
 * {@code keep-previous: 1} keeps), even after a rollback. Following Heat
 * ({@link #follow}): a stack that appears on an address makes a fresh server there (its
 * database password not yet delivered), its {@code build} output is what it serves, and
 * an address without a stack answers 503.
 */
public final class StandInPool implements AutoCloseable {

	private final String stackPrefix;

	private final List<String> addresses;

	private final List<StandInAppServer> servers = new ArrayList<>();

	private final List<LoopbackSshd> sshds = new ArrayList<>();

	/** address -> the stack on it last time Heat was asked. */
	private final Map<String, String> stackOn = new HashMap<>();

	/** stack id -> the build it asks for (its output {@code build}, once created). */
	private final Map<String, String> builds = new HashMap<>();

	private ScheduledExecutorService follower;

	private StandInPool(String stackPrefix, List<String> addresses) {
		this.stackPrefix = stackPrefix;
		this.addresses = List.copyOf(addresses);
	}

	/**
	 * Starts a stand-in and an sshd on each address, with nothing served yet.
	 * @param dir a fresh folder
	 * @param stackPrefix the environment's stack prefix ({@code sandbox_qa_})
	 * @param addresses the loopback addresses
	 * @param appPort the app servers' HTTP port
	 * @param ssh the app servers' SSH set-up (port, keys, the folder the settings name)
	 * @param password the database password a server must have been given to be healthy
	 */
	public static StandInPool start(Path dir, String stackPrefix, List<String> addresses, int appPort, AppServerSsh ssh,
			String password) throws Exception {
		StandInPool pool = new StandInPool(stackPrefix, addresses);
		try {
			for (String address : addresses) {
				StandInAppServer server = StandInAppServer.start(address, appPort, null);
				pool.servers.add(server);
				Path own = dir.resolve(address + "-secrets");
				pool.sshds.add(ssh.start(dir.resolve(address + "-sshd"), address, own));
				server.requirePassword(own.resolve(ssh.passwordFileName()), Set.of(password));
			}
		}
		catch (Exception | Error ex) {
			pool.close();
			throw ex;
		}
		return pool;
	}

	/**
	 * The test bed knob {@code fake_server_ips} for stack numbers 1 to {@code upTo}: each
	 * stack name to its address.
	 */
	public Map<String, String> addressKnob(int upTo) {
		Map<String, String> knob = new LinkedHashMap<>();
		for (int n = 1; n <= upTo; n++) {
			knob.put(StackNames.name(this.stackPrefix, n), this.addresses.get(n % this.addresses.size()));
		}
		return knob;
	}

	/**
	 * Asks Heat every 300 ms which stacks exist, and serves what they ask for.
	 * @param stacks the environment's numbered stacks, without outputs (the service's own
	 * Heat facade)
	 * @param details a stack with its outputs
	 */
	public void follow(Supplier<List<StackState>> stacks, UnaryOperator<StackState> details) {
		this.follower = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "stand-ins " + this.stackPrefix);
			thread.setDaemon(true);
			return thread;
		});
		this.follower.scheduleWithFixedDelay(() -> {
			try {
				update(stacks.get(), details);
			}
			catch (RuntimeException ex) {
				// Heat away for a moment: the servers keep what they serve
				System.err.println("stand-ins " + this.stackPrefix + ": cannot list stacks: " + ex.getMessage());
			}
		}, 0, 300, TimeUnit.MILLISECONDS);
	}

	/** Serves what the given stacks ask for. */
	synchronized void update(List<StackState> stacks, UnaryOperator<StackState> details) {
		Map<String, StackState> byAddress = new HashMap<>();
		for (StackState stack : stacks) {
			OptionalLong number = StackNames.numberOf(this.stackPrefix, stack.ref().name());
			if (number.isEmpty() || gone(stack.status())) {
				continue;
			}
			byAddress.put(this.addresses.get((int) (number.getAsLong() % this.addresses.size())), stack);
		}
		for (int i = 0; i < this.addresses.size(); i++) {
			String address = this.addresses.get(i);
			StandInAppServer server = this.servers.get(i);
			StackState stack = byAddress.get(address);
			String name = (stack != null) ? stack.ref().name() : null;
			if (!java.util.Objects.equals(name, this.stackOn.get(address))) {
				// another server now: it has not been given its password yet
				try {
					server.forgetPassword();
				}
				catch (java.io.IOException ex) {
					throw new java.io.UncheckedIOException(ex);
				}
				this.stackOn.put(address, name);
			}
			server.serve((stack != null) ? build(stack, details) : null);
		}
	}

	private String build(StackState stack, UnaryOperator<StackState> details) {
		String known = this.builds.get(stack.ref().id());
		if (known != null) {
			return known;
		}
		if (stack.status() == StackStatus.CREATE_IN_PROGRESS) {
			return "installing";
		}
		String build = details.apply(stack).outputs().get("build");
		if (build == null) {
			return "installing";
		}
		this.builds.put(stack.ref().id(), build);
		return build;
	}

	private static boolean gone(StackStatus status) {
		return status == StackStatus.DELETE_COMPLETE || status == StackStatus.GONE
				|| status == StackStatus.DELETE_IN_PROGRESS;
	}

	@Override
	public void close() throws Exception {
		if (this.follower != null) {
			this.follower.shutdownNow();
			this.follower.awaitTermination(5, TimeUnit.SECONDS);
		}
		Exception first = null;
		for (AutoCloseable part : concat(this.sshds, this.servers)) {
			try {
				part.close();
			}
			catch (Exception ex) {
				first = (first != null) ? first : ex;
			}
		}
		if (first != null) {
			throw first;
		}
	}

	private static List<AutoCloseable> concat(List<? extends AutoCloseable> a, List<? extends AutoCloseable> b) {
		List<AutoCloseable> all = new ArrayList<>(a);
		all.addAll(b);
		return all;
	}

	/**
	 * How the app servers' sshd is set up: one port, one host key, the service's key, and
	 * the folder the settings name ({@code app-server.password-file} is in it), which
	 * each server sees as its own copy.
	 *
	 * @param port the SSH port
	 * @param hostKey the host's private key file
	 * @param serviceKey the service's public key file
	 * @param shared the folder the settings name
	 */
	public record AppServerSsh(int port, Path hostKey, Path serviceKey, Path shared) {

		/** The password file's name in the folder the settings name. */
		public String passwordFileName() {
			return "db-password";
		}

		/** The delivered extra keys file ({@code app-server.authorized-keys-file}). */
		public Path deliveredKeys() {
			return this.shared.resolve("authorized_keys2");
		}

		LoopbackSshd start(Path dir, String address, Path own) throws Exception {
			Files.createDirectories(own);
			return LoopbackSshd.startAppServer(dir, address, this.port, this.hostKey, this.serviceKey, deliveredKeys(),
					this.shared, own);
		}

	}

}
