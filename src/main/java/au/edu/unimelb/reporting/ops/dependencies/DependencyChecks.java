package au.edu.unimelb.reporting.ops.dependencies;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import au.edu.unimelb.reporting.ops.config.SecretGuard;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Makes the {@link DependencyCheck}s of the outside systems, which share a pool of daemon
 * threads (at most one per check runs at a time, since a check that hangs is not started
 * again) and the settings {@code ops.dependencies.*}.
 */
@Component
public class DependencyChecks implements DisposableBean {

	private final SecretGuard guard;

	private final DependencySettings settings;

	private final ExecutorService executor;

	private final List<DependencyCheck> checks = new CopyOnWriteArrayList<>();

	public DependencyChecks(SecretGuard guard, DependencySettings settings) {
		this.guard = guard;
		this.settings = settings;
		AtomicInteger count = new AtomicInteger();
		this.executor = Executors.newCachedThreadPool((task) -> {
			Thread thread = new Thread(task, "dependency-check-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * @param name what is checked, for the log
	 * @param probe the check: UP or DOWN with details; an exception means DOWN
	 * @return the check, cached and bounded in time
	 */
	public DependencyCheck check(String name, Supplier<Health> probe) {
		DependencyCheck check = new DependencyCheck(name, probe, this.executor, this.guard, this.settings,
				this::refreshOld);
		this.checks.add(check);
		return check;
	}

	private void refreshOld() {
		this.checks.forEach(DependencyCheck::refreshIfOld);
	}

	/**
	 * @param checks the parts by name ({@code qa}, {@code prod})
	 * @param none what to say when there is no part
	 * @return one component with the parts below it, or a component that is UNKNOWN and
	 * says why
	 */
	public static HealthContributor composite(Map<String, ? extends HealthContributor> checks, String none) {
		if (checks.isEmpty()) {
			return (HealthIndicator) () -> Health.unknown().withDetail("reason", none).build();
		}
		return CompositeHealthContributor.fromMap(new LinkedHashMap<>(checks));
	}

	/** The settings, for a probe's own timeouts. */
	public DependencySettings settings() {
		return this.settings;
	}

	@Override
	public void destroy() {
		this.executor.shutdownNow();
	}

}
