package au.edu.unimelb.reporting.ops.ssh;

/**
 * What a remote command left behind.
 *
 * @param exitStatus its exit status
 * @param stdout its standard output
 * @param stderr its standard error
 */
public record SshResult(int exitStatus, String stdout, String stderr) {
}
