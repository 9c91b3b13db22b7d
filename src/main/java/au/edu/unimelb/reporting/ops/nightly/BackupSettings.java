package au.edu.unimelb.reporting.ops.nightly;

import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;
import java.util.stream.Stream;

import au.edu.unimelb.reporting.ops.config.HasSecrets;
import au.edu.unimelb.reporting.ops.config.NotBlankSecret;
import au.edu.unimelb.reporting.ops.config.Secret;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.validation.annotation.Validated;

/**
 * The nightly backup of the Prod database and its retention ({@code ops.backup.*}). The
 * backup runs only when {@code enabled}; then every other setting here is checked at
 * start.
 *
 * @param enabled whether the nightly backup runs at all
 * @param cron when it runs: a 6-field Spring cron expression ({@code 0 30 1 * * *} is
 * 01:30 every night)
 * @param timeZone the time zone the cron expression and the weekly/monthly days are read
 * in
 * @param targetUrlPrefix where the sets go: {@code swift://reporting} or
 * {@code file:///srv/backups/reporting}; the tiers append {@code -daily},
 * {@code -weekly}, {@code -monthly}
 * @param gpgKeyId the GnuPG key the sets are encrypted to (fingerprint or long key id)
 * @param gpgPassphrase the passphrase of that key, needed to verify and restore
 * (environment or file only)
 * @param keepDays how many days of daily sets are kept
 * @param keepWeeks how many weeks of weekly sets are kept
 * @param keepMonths how many months of monthly sets are kept
 * @param weeklyOn the weekday that also uploads to the weekly tier
 * @param monthlyOn the day of the month (1 to 28, so that every month has it) that also
 * uploads to the monthly tier
 * @param minimumKept the floor of complete, verified sets per tier that retention never
 * goes below
 * @param stagingDir where dumps and restores are written while they are worked on; a
 * night with {@code file://} tiers needs room for about twice the dump there (the dump
 * and the set encrypted once), or its tiers each encrypt the dump themselves
 * @param swift the Swift account, when the target is {@code swift://}
 * @param gnupgHome the GnuPG home that holds the key (its public part to encrypt, its
 * secret part to verify and restore)
 * @param archiveDir duplicity's local cache of signatures and manifests
 * @param commandTimeout the limit of one pg_dump, pg_restore or duplicity run; the job
 * lock time ({@code camunda.bpm.job-execution.lock-time-in-millis}) must be longer
 * @param retryCycle how often, and how far apart, a failed step is tried again before the
 * run takes its failure path ({@code R2/PT1M}: twice more, a minute apart)
 * @param restoreJobs the parallel jobs of {@code pg_restore}
 * @param qaRestoreAfter whether a verified nightly backup starts {@code qa-restore}
 * @param transferRetryDelay the wait between duplicity's own three retries of a failed
 * transfer (a Swift hiccup)
 * @param dumpCompression pg_dump's compression level of the custom-format dump, 0 (none)
 * to 9; on the benchmark's data 1 dumped three times faster than pg_dump's default (6),
 * for a dump a few per cent bigger (docs/benchmarks.md); GnuPG's own compression is off
 * @param restoreMaintenanceWorkMem {@code maintenance_work_mem} of pg_restore's sessions
 * (PostgreSQL's size syntax, {@code 512MB}): the indexes of the restored copy are built
 * in memory rather than sorted on disk
 */
@Validated
@ConfigurationProperties("ops.backup")
public record BackupSettings(@DefaultValue("false") boolean enabled,
		@DefaultValue("0 30 1 * * *") @NotBlank String cron,
		@DefaultValue("Australia/Melbourne") @NotNull ZoneId timeZone,
		@Pattern(regexp = "(swift|file)://[A-Za-z0-9._/-]+",
				message = "must be a swift:// or file:// URL of letters, digits and . _ / -") String targetUrlPrefix,
		@Pattern(regexp = "[0-9A-Fa-f]{16}|[0-9A-Fa-f]{40}",
				message = "must be a 16-digit long key id or a 40-digit fingerprint") String gpgKeyId,
		@NotBlankSecret Secret gpgPassphrase, @DefaultValue("7") @Min(1) @Max(366) int keepDays,
		@DefaultValue("5") @Min(1) @Max(260) int keepWeeks, @DefaultValue("12") @Min(1) @Max(120) int keepMonths,
		@DefaultValue("sunday") @NotNull DayOfWeek weeklyOn, @DefaultValue("1") @Min(1) @Max(28) int monthlyOn,
		@DefaultValue("2") @Min(1) @Max(100) int minimumKept, @DefaultValue("./data/staging") @NotNull Path stagingDir,
		@Valid SwiftSettings swift, Path gnupgHome, @DefaultValue("./data/duplicity-cache") @NotNull Path archiveDir,
		@DefaultValue("PT1H") @NotNull Duration commandTimeout,
		@DefaultValue("R2/PT1M") @NotNull @Pattern(regexp = "R[0-9]{1,2}/PT[0-9]{1,4}[SM]",
				message = "must be a retry cycle like R2/PT1M") String retryCycle,
		@DefaultValue("2") @Min(1) @Max(16) int restoreJobs, @DefaultValue("true") boolean qaRestoreAfter,
		@DefaultValue("PT30S") @NotNull Duration transferRetryDelay,
		@DefaultValue("1") @Min(0) @Max(9) int dumpCompression,
		@DefaultValue("512MB") @NotNull @Pattern(regexp = "[1-9][0-9]{0,5}(kB|MB|GB)",
				message = "must be a PostgreSQL size like 512MB") String restoreMaintenanceWorkMem)
		implements
			HasSecrets {

	@AssertTrue(message = "is missing (required when ops.backup.enabled is true)")
	boolean isGnupgHome() {
		return !this.enabled || this.gnupgHome != null;
	}

	@AssertTrue(message = "must be between 1MB and 2047GB (PostgreSQL's range of maintenance_work_mem)")
	boolean isRestoreMaintenanceWorkMem() {
		if (this.restoreMaintenanceWorkMem == null
				|| !this.restoreMaintenanceWorkMem.matches("[1-9][0-9]{0,5}(kB|MB|GB)")) {
			return true; // the pattern's message says it
		}
		String unit = this.restoreMaintenanceWorkMem.substring(this.restoreMaintenanceWorkMem.length() - 2);
		long number = Long
			.parseLong(this.restoreMaintenanceWorkMem.substring(0, this.restoreMaintenanceWorkMem.length() - 2));
		long kilobytes = number * switch (unit) {
			case "GB" -> 1024L * 1024;
			case "MB" -> 1024L;
			default -> 1L;
		};
		return kilobytes >= 1024 && kilobytes <= Integer.MAX_VALUE;
	}

	@AssertTrue(message = "must be between 10 seconds and 24 hours")
	boolean isCommandTimeout() {
		return this.commandTimeout == null || (this.commandTimeout.compareTo(Duration.ofSeconds(10)) >= 0
				&& this.commandTimeout.compareTo(Duration.ofHours(24)) <= 0);
	}

	@AssertTrue(message = "is not a 6-field Spring cron expression (second minute hour day month weekday)")
	boolean isCron() {
		return this.cron == null || CronExpression.isValidExpression(this.cron);
	}

	@AssertTrue(message = "is missing (required when ops.backup.enabled is true)")
	boolean isTargetUrlPrefix() {
		return !this.enabled || this.targetUrlPrefix != null;
	}

	@AssertTrue(message = "is missing (required when ops.backup.enabled is true)")
	boolean isGpgKeyId() {
		return !this.enabled || this.gpgKeyId != null;
	}

	@AssertTrue(message = "is missing (required when ops.backup.enabled is true)")
	boolean isGpgPassphrase() {
		return !this.enabled || this.gpgPassphrase != null;
	}

	@AssertTrue(message = "is missing (required when ops.backup.target-url-prefix is a swift:// URL)")
	boolean isSwift() {
		return this.targetUrlPrefix == null || !this.targetUrlPrefix.startsWith("swift://") || this.swift != null;
	}

	@Override
	public Stream<Secret> secrets() {
		return Stream.of(this.gpgPassphrase, (this.swift != null) ? this.swift.key() : null).filter(Objects::nonNull);
	}

	/**
	 * A Swift account with v1 (tempauth) or v2/v3 authentication, as duplicity's swift
	 * backend takes it.
	 *
	 * @param authUrl the auth URL ({@code http://127.0.0.1:8080/auth/v1.0})
	 * @param authVersion 1, 2 or 3. The health of {@code backupTarget} checks the
	 * credentials and the container with 1 only; with 2 or 3 (Keystone), only that the
	 * auth URL answers (there is no setting for a project or domain).
	 * @param user the user ({@code account:user} for v1)
	 * @param key the key or password (environment or file only)
	 */
	public record SwiftSettings(
			@NotNull @Pattern(regexp = "https?://.+", message = "must be an http(s) URL") String authUrl,
			@DefaultValue("1") @Min(1) @Max(3) int authVersion, @NotBlank String user,
			@NotNull @NotBlankSecret Secret key) {
	}

}
