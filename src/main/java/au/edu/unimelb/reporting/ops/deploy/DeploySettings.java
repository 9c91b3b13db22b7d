package au.edu.unimelb.reporting.ops.deploy;

import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How deploy-replace and rollback wait ({@code ops.deploy.*}). Every wait is a BPMN timer
 * loop: the first check comes after {@code pollInitial}, each next one waits 1.5 times
 * longer, up to {@code pollMax}, until the step's deadline.
 *
 * @param pollInitial the first wait between two checks of a stack or a server
 * @param pollMax the longest wait between two checks
 * @param healthTimeout how long a new server may take to become healthy
 * @param publicCheckTimeout how long the web front may take to serve the new build after
 * a switch
 * @param retireTimeout how long deleting old stacks may take before it raises an incident
 * @param probeTimeout the limit of one health request
 * @param hostKeysTimeout how long a new server's console may take to show its SSH host
 * keys (cloud-init prints them late in the first boot)
 */
@Validated
@ConfigurationProperties("ops.deploy")
public record DeploySettings(@DefaultValue("500ms") @NotNull Duration pollInitial,
		@DefaultValue("10s") @NotNull Duration pollMax, @DefaultValue("10m") @NotNull Duration healthTimeout,
		@DefaultValue("60s") @NotNull Duration publicCheckTimeout, @DefaultValue("10m") @NotNull Duration retireTimeout,
		@DefaultValue("5s") @NotNull Duration probeTimeout, @DefaultValue("10m") @NotNull Duration hostKeysTimeout) {

	@AssertTrue(message = "must not be shorter than ops.deploy.poll-initial")
	boolean isPollMax() {
		return this.pollInitial == null || this.pollMax == null || this.pollMax.compareTo(this.pollInitial) >= 0;
	}

	/**
	 * @param previous the wait before, or {@code null} for the first
	 * @return the next wait: 1.5 times the previous, within the bounds
	 */
	public Duration nextPoll(Duration previous) {
		if (previous == null) {
			return this.pollInitial;
		}
		Duration next = Duration.ofMillis(previous.toMillis() * 3 / 2);
		return (next.compareTo(this.pollMax) > 0) ? this.pollMax : next;
	}

}
