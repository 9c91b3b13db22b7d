package au.edu.unimelb.reporting.ops.release;

import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The release: QA, UAT approval in Tasklist, then Prod ({@code ops.release.*}).
 *
 * @param reminderAfter how long the UAT task may wait before testers are reminded (a
 * comment on the task, a higher priority, a log line)
 * @param approvalDeadline how long it may wait at all: then the release ends as expired
 * @param maxBackupAge how old the last verified Prod backup may be when the Prod deploy
 * starts; when it is older the release takes a fresh backup first
 * @param backupWait how long the release waits before it checks again while a backup or
 * QA restore of Prod runs (it then takes that backup's result)
 * @param backupWaitLimit how long the release waits for a running backup or QA restore at
 * most: then it tries to take its own backup, which is refused while the lock is held, so
 * the release ends {@code BACKUP_FAILED}, Prod untouched
 * @param approvalsRequired how many distinct testers must approve a build in UAT before
 * it goes to Prod (1 to 10); one rejection ends the release whatever the count. A release
 * keeps the number it started with.
 */
@Validated
@ConfigurationProperties("ops.release")
public record ReleaseSettings(@DefaultValue("PT4H") @NotNull Duration reminderAfter,
		@DefaultValue("P3D") @NotNull Duration approvalDeadline, @DefaultValue("PT26H") @NotNull Duration maxBackupAge,
		@DefaultValue("PT1M") @NotNull Duration backupWait, @DefaultValue("PT3H") @NotNull Duration backupWaitLimit,
		@DefaultValue("1") @Min(1) @Max(10) int approvalsRequired) {

	@AssertTrue(message = "must be longer than ops.release.backup-wait")
	boolean isBackupWaitLimit() {
		return this.backupWaitLimit == null || this.backupWait == null
				|| this.backupWaitLimit.compareTo(this.backupWait) > 0;
	}

	@AssertTrue(message = "must be between 5 seconds and 1 hour")
	boolean isBackupWait() {
		return this.backupWait == null || (this.backupWait.compareTo(Duration.ofSeconds(5)) >= 0
				&& this.backupWait.compareTo(Duration.ofHours(1)) <= 0);
	}

	@AssertTrue(message = "must be longer than ops.release.reminder-after")
	boolean isApprovalDeadline() {
		return this.approvalDeadline == null || this.reminderAfter == null
				|| this.approvalDeadline.compareTo(this.reminderAfter) > 0;
	}

}
