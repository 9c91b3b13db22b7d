package au.edu.unimelb.reporting.ops.support;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches the environment of every program a service process starts (from
 * {@code /proc/PID/environ} of each of its descendants, every few milliseconds) while a
 * test runs: which programs it saw, the names of the variables each program the service
 * started itself received, and every program that received one of the given markers (a
 * secret of the service that is none of the program's business) or a variable of the
 * service's own environment other than the allowed ones. (A program may set variables for
 * itself: Debian's pg_wrapper adds {@code PGCLUSTER} before it execs the real pg_restore.
 * Those are not the service's, and not counted.)
 *
 * <p>
 * The JVM's own launch helper is skipped: between fork and exec a child still is the
 * service ({@code java}, then {@code jspawnhelper}, which carry the service's environment
 * until they exec the program with the one the runner built).
 */
public final class ProcessEnvironmentWatch implements AutoCloseable {

	private final long service;

	private final List<String> markers;

	private final Set<String> forbiddenNames;

	private final Set<String> seen = ConcurrentHashMap.newKeySet();

	private final Map<String, Set<String>> variablesOfChildren = new ConcurrentHashMap<>();

	private final Set<String> leaks = ConcurrentHashMap.newKeySet();

	private final Thread thread;

	private volatile boolean running = true;

	/**
	 * @param service the service's process id
	 * @param markers values no program of the service may receive
	 * @param allowedNames the variables of the service's environment its programs may
	 * receive
	 */
	public ProcessEnvironmentWatch(long service, Collection<String> markers, Collection<String> allowedNames) {
		this.service = service;
		this.markers = List.copyOf(markers);
		Set<String> forbidden = names(Proc.environment(service));
		if (forbidden.isEmpty()) {
			throw new IllegalStateException("Cannot read the environment of process " + service);
		}
		forbidden.removeAll(allowedNames);
		this.forbiddenNames = Set.copyOf(forbidden);
		this.thread = new Thread(this::watch, "environ-watch");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	private void watch() {
		while (this.running) {
			ProcessHandle.of(this.service).ifPresent((root) -> root.descendants().forEach(this::check));
			try {
				Thread.sleep(5);
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

	private void check(ProcessHandle process) {
		// the argv first: a process that already shows the program's argv has exec'd,
		// so the environment read next is the program's own
		List<String> argv = Proc.argv(process.pid());
		if (argv.isEmpty() || isTheJvm(argv.get(0))) {
			return;
		}
		List<String> environment = Proc.environment(process.pid());
		if (environment.isEmpty()) {
			return;
		}
		String program = Proc.program(argv);
		this.seen.add(program);
		for (String variable : environment) {
			for (String marker : this.markers) {
				if (variable.contains(marker)) {
					this.leaks
						.add(program + " (pid " + process.pid() + ") received a marker in " + Proc.name(variable));
				}
			}
		}
		Set<String> names = names(environment);
		for (String name : names) {
			if (this.forbiddenNames.contains(name)) {
				this.leaks.add(program + " (pid " + process.pid() + ") received the service's " + name);
			}
		}
		boolean startedByTheService = process.parent().map(ProcessHandle::pid).orElse(-1L) == this.service;
		if (startedByTheService) {
			this.variablesOfChildren.computeIfAbsent(program, (key) -> ConcurrentHashMap.newKeySet()).addAll(names);
		}
	}

	private static Set<String> names(List<String> environment) {
		Set<String> names = new TreeSet<>();
		for (String variable : environment) {
			names.add(Proc.name(variable));
		}
		return names;
	}

	private static boolean isTheJvm(String executable) {
		String name = Proc.baseName(executable);
		return name.equals("java") || name.equals("jspawnhelper");
	}

	/** The programs seen, as {@code name} or {@code name first-argument}. */
	public Set<String> seen() {
		return Set.copyOf(this.seen);
	}

	/**
	 * The names of the variables each program the service started itself received, by
	 * program.
	 */
	public Map<String, Set<String>> variablesOfChildren() {
		return Map.copyOf(this.variablesOfChildren);
	}

	/**
	 * Each program that received a marker or a variable of the service it may not have,
	 * and that variable's name.
	 */
	public Set<String> leaks() {
		return Set.copyOf(this.leaks);
	}

	@Override
	public void close() throws InterruptedException {
		this.running = false;
		this.thread.join(2000);
	}

}
