package au.edu.unimelb.reporting.ops.backup;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import au.edu.unimelb.reporting.ops.backup.RetentionPlan.Action;
import au.edu.unimelb.reporting.ops.duplicity.CollectionStatus;
import au.edu.unimelb.reporting.ops.duplicity.DuplicityCommands;
import au.edu.unimelb.reporting.ops.duplicity.DuplicityTarget;
import au.edu.unimelb.reporting.ops.duplicity.SetCopy;
import au.edu.unimelb.reporting.ops.nightly.BackupRecords;
import au.edu.unimelb.reporting.ops.nightly.BackupSettings;
import au.edu.unimelb.reporting.ops.nightly.BackupTargets;
import au.edu.unimelb.reporting.ops.nightly.Staging;
import au.edu.unimelb.reporting.ops.nightly.StepFailedException;
import au.edu.unimelb.reporting.ops.nightly.Tier;
import au.edu.unimelb.reporting.ops.shell.CommandRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * What each tier's branch of nightly-backup ({@code SubProcess_Tier}) does with the run's
 * dump: upload it as a new full set, verify the set, apply the tier's retention after a
 * verified upload, or clean up after a failed one, and note in the run's record what
 * failed. Every step can run again after a crash: it finds what an earlier try left and
 * carries on from there.
 */
@Service
class TierSteps {

	/** How a run's record notes a tier whose retention failed. */
	static final String RETENTION_FAILED = " retention failed: ";

	private static final Logger log = LoggerFactory.getLogger(TierSteps.class);

	private final BackupSettings settings;

	private final CommandRunner runner;

	private final BackupTargets targets;

	private final Staging staging;

	private final BackupRecords records;

	private final Clock clock;

	/** Whether a clock was injected: then duplicity's sets take their time from it. */
	private final boolean injectedClock;

	TierSteps(BackupSettings settings, CommandRunner runner, BackupTargets targets, Staging staging,
			BackupRecords records, ObjectProvider<Clock> clock) {
		this.settings = settings;
		this.runner = runner;
		this.targets = targets;
		this.staging = staging;
		this.records = records;
		Clock injected = clock.getIfAvailable();
		this.clock = (injected != null) ? injected : Clock.systemUTC();
		this.injectedClock = injected != null;
	}

	/**
	 * Uploads the run's dump to a tier as a new full set: to a {@code file://} tier, a
	 * copy of the set the dump step encrypted once ({@link SetCopy}); to any other (or
	 * when there is no such set), {@code duplicity full}. A set this run already made (an
	 * earlier try that was cut off after its upload) is taken as it is, and what a
	 * cut-off upload or copy left is cleaned up first, so a repeat never leaves two sets.
	 * @return the set's time
	 * @throws StepFailedException when duplicity fails (the step's failure path cleans
	 * up)
	 */
	public Instant upload(String runId, String tierLabel, Instant runStartedAt) {
		Tier tier = Tier.of(tierLabel);
		DuplicityTarget target = this.targets.target(tier);
		DuplicityCommands duplicity = this.targets.duplicity();
		Instant since = runStartedAt.truncatedTo(ChronoUnit.SECONDS);
		CollectionStatus before = this.targets.status(duplicity, target, tier);
		Optional<Instant> made = before.fullSets().stream().filter((time) -> !time.isBefore(since)).reduce((a, b) -> b);
		if (before.hasPartialSets()) {
			StepFailedException.whenFails("duplicity cleanup of " + target,
					() -> this.runner.run(duplicity.cleanup(target, BackupTargets.name(tier))));
		}
		if (made.isPresent()) {
			log.info("Backup {}: {} already holds this run's set of {}; not uploading again", runId, target,
					made.get());
			this.records.uploaded(runId, tier.label(), made.get(), Staging.folderSize(this.staging.dumpFolder(runId)),
					0);
			return made.get();
		}
		long started = System.nanoTime();
		boolean copied = target.isLocal() && SetCopy.holdsOneSet(this.staging.setFolder(runId));
		Instant setTime;
		if (copied) {
			setTime = SetCopy.setTime(this.staging.setFolder(runId));
			if (setTime.isBefore(since)) {
				// checked before the copy: a complete set left in the tier unrecorded is
				// never cleaned up
				throw new StepFailedException("The encrypted set staged for " + target + " is of " + setTime
						+ ", before this run began (" + since + "): the nodes' clocks differ?");
			}
			try {
				SetCopy.copy(this.staging.setFolder(runId), target.localFolder(), this.settings.commandTimeout());
			}
			catch (UncheckedIOException ex) {
				// a full disk, a folder that went away, out of time: like an upload that
				// failed
				throw StepFailedException.retryable("Copying the encrypted set to " + target + " failed: "
						+ ex.getCause().getClass().getSimpleName() + ": " + ex.getCause().getMessage());
			}
			// whether duplicity lists it there as complete is checked by verify, as
			// for an upload
		}
		else {
			StepFailedException.whenFails("duplicity full to " + target,
					() -> this.runner.run(duplicity.full(this.staging.dumpFolder(runId), target,
							BackupTargets.name(tier), this.injectedClock ? this.clock.instant() : null)));
			setTime = this.targets.status(duplicity, target, tier).newest();
		}
		long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
		if (setTime == null || setTime.isBefore(since)) {
			throw new StepFailedException(
					"duplicity full to " + target + " ended, but " + target + " holds no set made since " + since);
		}
		this.records.uploaded(runId, tier.label(), setTime, Staging.folderSize(this.staging.dumpFolder(runId)), millis);
		log.info("Backup {}: {} set {} to {} in {} ms", runId, copied ? "copied" : "uploaded", setTime, target, millis);
		return setTime;
	}

	/**
	 * Verifies a tier's new set: collection-status lists it as complete, and
	 * {@code verify --compare-data} decrypts it and finds it equal to the staged dump.
	 * @throws StepFailedException when it does not verify
	 */
	public void verify(String runId, String tierLabel, Instant setTime) {
		Tier tier = Tier.of(tierLabel);
		DuplicityTarget target = this.targets.target(tier);
		DuplicityCommands duplicity = this.targets.duplicity();
		CollectionStatus status = this.targets.status(duplicity, target, tier);
		if (!status.fullSets().contains(setTime)) {
			throw new StepFailedException(target + " does not list the set of " + setTime + " as complete");
		}
		if (!setTime.equals(status.newest())) {
			throw new StepFailedException(target + " holds a set newer than " + setTime + "; not verifying");
		}
		StepFailedException.whenFails("duplicity verify of " + target, () -> this.runner
			.run(duplicity.verify(target, BackupTargets.name(tier), this.staging.dumpFolder(runId))));
		this.records.verified(tier.label(), setTime);
		log.info("Backup {}: set {} in {} verified", runId, setTime, target);
	}

	/**
	 * Applies a tier's retention after its verified upload: plans it from the sets
	 * duplicity lists and the records of which were verified, then removes the planned
	 * sets with {@code remove-older-than}.
	 * @return one line per set: its time, keep or remove, and why
	 */
	public String applyRetention(String runId, String tierLabel, Instant setTime) {
		Tier tier = Tier.of(tierLabel);
		if (!this.records.isVerified(tier.label(), setTime)) {
			return "Retention left alone: tonight's set " + setTime + " in " + tier.label() + " is not verified";
		}
		DuplicityTarget target = this.targets.target(tier);
		DuplicityCommands duplicity = this.targets.duplicity();
		List<BackupSet> sets = this.targets.status(duplicity, target, tier)
			.fullSets()
			.stream()
			.map((time) -> new BackupSet(time, this.records.isVerified(tier.label(), time)))
			.toList();
		RetentionPlan plan = new RetentionPlanner(this.clock).plan(RetentionPolicy.of(this.settings, tier), sets, true);
		if (plan.cutoff().isPresent()) {
			StepFailedException.whenFails("duplicity remove-older-than on " + target, () -> this.runner
				.run(duplicity.removeOlderThan(target, BackupTargets.name(tier), plan.cutoff().get())));
			List<Instant> left = this.targets.status(duplicity, target, tier).fullSets();
			for (BackupSet removed : plan.removed()) {
				if (left.contains(removed.time())) {
					throw new StepFailedException("remove-older-than on " + target + " did not remove the set of "
							+ removed.time() + "; the sets are now " + left);
				}
				this.records.removed(tier.label(), removed.time());
			}
		}
		String summary = plan.decisions()
			.stream()
			.map((decision) -> decision.set().time() + " " + decision.action().name().toLowerCase(Locale.ROOT) + ": "
					+ decision.reason())
			.collect(Collectors.joining("\n"));
		long removedCount = plan.decisions().stream().filter((d) -> d.action() == Action.REMOVE).count();
		log.info("Backup {}: retention of {} kept {} and removed {} set(s)", runId, tier.label(), plan.kept().size(),
				removedCount);
		return summary;
	}

	/**
	 * Notes in the run's record that a tier's set verified but its retention failed (on
	 * its last try): the night counts as incomplete, so the operator is told, and the
	 * older sets stay until a later night's retention removes them.
	 */
	public void noteRetentionFailure(String runId, String tierLabel, String reason) {
		this.records.note(runId, tierLabel + RETENTION_FAILED + reason);
		log.warn("Backup {}: the {} tier's retention failed: {}", runId, tierLabel, reason);
	}

	/** Notes in the run's record that a tier failed, and why. */
	public void noteTierFailure(String runId, String tierLabel, String reason) {
		this.records.note(runId, tierLabel + " failed: " + reason);
		log.warn("Backup {}: the {} tier failed: {}", runId, tierLabel, reason);
	}

	/**
	 * After a failed upload or verify: deletes what the failed upload left (never a
	 * complete older set). A failing cleanup is logged, not thrown: the next upload to
	 * the tier cleans up again first.
	 */
	public void cleanUpTier(String runId, String tierLabel) {
		Tier tier = Tier.of(tierLabel);
		DuplicityTarget target = this.targets.target(tier);
		try {
			if (target.isLocal()) {
				SetCopy.removeLeftovers(target.localFolder());
			}
			this.runner.run(this.targets.duplicity().cleanup(target, BackupTargets.name(tier)));
		}
		catch (RuntimeException ex) {
			log.warn("Backup {}: duplicity cleanup of {} failed too: {}", runId, target, ex.getMessage());
		}
	}

}
