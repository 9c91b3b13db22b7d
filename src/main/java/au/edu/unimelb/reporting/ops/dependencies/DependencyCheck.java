package au.edu.unimelb.reporting.ops.dependencies;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import au.edu.unimelb.reporting.ops.config.SecretGuard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;

/**
 * The health of one outside system, checked at most once per {@code cacheFor} and never
 * waited on longer than {@code timeout}. The check runs on the checks' own threads, not
 * on the HTTP thread that asks: a remote that hangs makes the check DOWN after the
 * timeout, and while that check still hangs no second one is started (one thread per
 * system at most): every request is answered at once, DOWN, saying for how long the check
 * has not answered. Once it ends, the next request checks again. A result is reused until
 * it is {@code cacheFor} old. Every detail text is masked by the {@link SecretGuard}; a
 * change of status is logged with its reason.
 */
public final class DependencyCheck implements HealthIndicator {

	private static final Logger log = LoggerFactory.getLogger(DependencyCheck.class);

	private final String name;

	private final Supplier<Health> probe;

	private final Executor executor;

	private final SecretGuard guard;

	private final long timeoutNanos;

	private final long cacheNanos;

	private final Runnable siblings;

	private Result last;

	private Flight flight;

	/**
	 * @param name what is checked, for the log and the detail of a check that hangs
	 * ({@code the backup target}: "the check of the backup target has not answered for 3
	 * s")
	 * @param probe the check itself: UP or DOWN with details; an exception means DOWN
	 * @param executor where checks run
	 * @param guard masks secrets in the details
	 * @param settings the timeout and how long a result is reused
	 */
	public DependencyCheck(String name, Supplier<Health> probe, Executor executor, SecretGuard guard,
			DependencySettings settings) {
		this(name, probe, executor, guard, settings, () -> {
		});
	}

	/**
	 * @param siblings starts the other checks whose results are old, when this one
	 * starts: the endpoint asks the components one after the other, so checks started
	 * together end (or time out) together, and a request waits about one timeout however
	 * many systems hang
	 */
	DependencyCheck(String name, Supplier<Health> probe, Executor executor, SecretGuard guard,
			DependencySettings settings, Runnable siblings) {
		this.siblings = siblings;
		this.name = name;
		this.probe = probe;
		this.executor = executor;
		this.guard = guard;
		this.timeoutNanos = settings.timeout().toNanos();
		this.cacheNanos = settings.cacheFor().toNanos();
	}

	@Override
	public Health health() {
		CompletableFuture<Health> running;
		long deadline;
		boolean started;
		synchronized (this) {
			long now = System.nanoTime();
			if (this.flight != null && now - this.flight.started >= this.timeoutNanos) {
				// hung: answered at once, and not started again while it hangs
				return hung(now);
			}
			if (this.last != null && now - this.last.at < this.cacheNanos) {
				return this.last.health;
			}
			started = this.flight == null;
			Flight current = started ? start(now) : this.flight;
			running = current.future;
			deadline = current.started + this.timeoutNanos;
		}
		if (started) {
			this.siblings.run();
		}
		try {
			return running.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			return overdue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Health.unknown().withDetail("error", "interrupted").build();
		}
		catch (ExecutionException ex) {
			// start() turns every failure into DOWN, so this does not happen
			return down(ex.getCause());
		}
	}

	/** Starts a check when its result is old and none runs. */
	synchronized void refreshIfOld() {
		if (this.flight == null && (this.last == null || System.nanoTime() - this.last.at >= this.cacheNanos)) {
			start(System.nanoTime());
		}
	}

	/**
	 * Starts a check, under the lock. The flight is in place and its end is listened for
	 * before the check runs: a check that ends at once still clears it.
	 */
	private Flight start(long now) {
		CompletableFuture<Health> future = new CompletableFuture<>();
		Flight started = new Flight(now, future);
		this.flight = started;
		future.thenAccept((health) -> finished(started, health));
		try {
			this.executor.execute(() -> future.complete(probeSafely()));
		}
		catch (RejectedExecutionException ex) {
			// the service is stopping
			future.complete(down(ex));
		}
		return started;
	}

	private Health probeSafely() {
		try {
			Health health = this.probe.get();
			return (health != null) ? masked(health) : down(new IllegalStateException("no answer"));
		}
		catch (RuntimeException ex) {
			return down(ex);
		}
	}

	private synchronized void finished(Flight done, Health health) {
		if (this.flight != done) {
			return;
		}
		this.flight = null;
		long took = System.nanoTime() - done.started;
		Health result = (took <= this.timeoutNanos) ? health
				: Health.down()
					.withDetail("error",
							"answered after " + Duration.ofNanos(took).toMillis() + " ms, over the limit of "
									+ Duration.ofNanos(this.timeoutNanos).toMillis() + " ms")
					.build();
		remember(done.started, result);
	}

	/** The check did not answer in time: DOWN until it does. */
	private synchronized Health overdue() {
		if (this.flight == null) {
			// it ended just now
			return this.last.health;
		}
		Health health = hung(System.nanoTime());
		remember(this.flight.started, health);
		return health;
	}

	/** DOWN, saying for how long the running check has not answered; under the lock. */
	private Health hung(long now) {
		Duration waited = Duration.ofNanos(now - this.flight.started);
		String since = (waited.toSeconds() > 0) ? waited.toSeconds() + " s" : waited.toMillis() + " ms";
		return Health.down()
			.withDetail("error",
					"no answer within " + Duration.ofNanos(this.timeoutNanos).toMillis() + " ms: the check of "
							+ this.name + " has not answered for " + since)
			.build();
	}

	private void remember(long at, Health health) {
		Status before = (this.last != null) ? this.last.health.getStatus() : null;
		this.last = new Result(at, health);
		if (before != null && !before.equals(health.getStatus())) {
			if (Status.UP.equals(health.getStatus())) {
				log.info("{} is {} again", this.name, health.getStatus());
			}
			else {
				log.warn("{} is {}: {}", this.name, health.getStatus(), health.getDetails());
			}
		}
		else if (before == null && !Status.UP.equals(health.getStatus())) {
			log.warn("{} is {}: {}", this.name, health.getStatus(), health.getDetails());
		}
	}

	private Health down(Throwable ex) {
		String message = (ex.getMessage() != null) ? ex.getMessage() : "";
		return Health.down()
			.withDetail("error",
					this.guard.mask(ex.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message)))
			.build();
	}

	private Health masked(Health health) {
		Health.Builder builder = Health.status(health.getStatus());
		health.getDetails()
			.forEach((key, value) -> builder.withDetail(key,
					(value instanceof String text) ? this.guard.mask(text) : value));
		return builder.build();
	}

	@Override
	public String toString() {
		return this.name;
	}

	private record Result(long at, Health health) {
	}

	private record Flight(long started, CompletableFuture<Health> future) {
	}

}
