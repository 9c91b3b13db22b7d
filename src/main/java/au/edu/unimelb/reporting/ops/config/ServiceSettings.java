package au.edu.unimelb.reporting.ops.config;

import java.nio.file.Path;
import java.time.ZoneId;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the service as a whole ({@code ops.*}).
 *
 * @param dataDir where the service keeps its own files: the embedded H2 database, the
 * generated initial admin password, staging space
 * @param timeZone the one time zone every node reads timers and dates in
 */
@Validated
@ConfigurationProperties("ops")
public record ServiceSettings(@NotNull Path dataDir, @NotNull ZoneId timeZone) {
}
