package au.edu.unimelb.reporting.ops.nightly;

import au.edu.unimelb.reporting.ops.dependencies.DependencyCheck;
import au.edu.unimelb.reporting.ops.dependencies.DependencyChecks;
import au.edu.unimelb.reporting.ops.duplicity.DuplicityTarget;
import au.edu.unimelb.reporting.ops.duplicity.TargetReachability;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The component {@code backupTarget} of {@code /actuator/health/dependencies}: whether
 * the daily tier's target (the one every night writes and qa-restore reads) can be
 * reached, looked at without writing anything ({@link TargetReachability}), at most once
 * per {@code ops.dependencies.cache-for} however often it is polled. UNKNOWN when the
 * backup is not enabled: then no check is made at all (none is registered, so no other
 * component's check starts one either).
 */
@Component
class BackupTargetHealthIndicator implements HealthIndicator {

	private final DependencyCheck check;

	BackupTargetHealthIndicator(BackupSettings settings, BackupTargets targets, DependencyChecks checks) {
		this.check = !enabled(settings) ? null : checks.check("the backup target", () -> {
			DuplicityTarget target = targets.dailyTarget();
			String found = TargetReachability.check(target, checks.settings().timeout());
			return Health.up()
				.withDetail("target", target.url())
				.withDetail("checks", TargetReachability.checks(target))
				.withDetail("found", found)
				.build();
		});
	}

	@Override
	public Health health() {
		if (this.check == null) {
			return Health.unknown().withDetail("reason", "the nightly backup is not enabled").build();
		}
		return this.check.health();
	}

	private static boolean enabled(BackupSettings settings) {
		return settings.enabled() && settings.targetUrlPrefix() != null;
	}

}
