package au.edu.unimelb.reporting.ops.shell;

import java.time.Duration;

/**
 * What a finished program left behind (secrets already masked in its output).
 *
 * @param exitCode its exit code
 * @param stdout its standard output (the last 1 MiB at most)
 * @param stderr its standard error (the last 1 MiB at most)
 * @param duration how long it ran
 */
public record CommandResult(int exitCode, String stdout, String stderr, Duration duration) {
}
