package au.edu.unimelb.reporting.ops.ssh;

import java.util.regex.Pattern;

/**
 * A file to write on a remote host, its content sent through the command's standard input
 * (never on a command line).
 *
 * @param path plain segments (letters, digits, {@code . _ -}; no {@code .} or {@code ..}
 * segment, none starting with {@code -}), absolute or relative to the user's home
 * @param content what the file holds afterwards
 */
public record RemoteFile(String path, byte[] content) {

	static final Pattern PLAIN_PATH = Pattern
		.compile("/?(?!\\.{1,2}(/|$))[A-Za-z0-9._][A-Za-z0-9._-]*(/(?!\\.{1,2}(/|$))[A-Za-z0-9._][A-Za-z0-9._-]*)*");

	public RemoteFile {
		if (path == null || !PLAIN_PATH.matcher(path).matches()) {
			throw new IllegalArgumentException("Refusing to write '" + path + "' over SSH: not a plain path");
		}
	}

	/**
	 * The fixed command that writes it: only the path and the length, no content.
	 * Readable by its owner only, replaced in one step (a reader sees the old or the new
	 * file, never half), and only when all of it arrived: {@code cat} ends without error
	 * when the connection drops mid-way, so the length is checked before the file
	 * replaces the old one. {@code set -C} makes the new file with this command, never
	 * through a link someone left in its place.
	 */
	String command() {
		int slash = this.path.lastIndexOf('/');
		String mkdir = (slash > 0) ? "mkdir -p " + this.path.substring(0, slash) + " && " : "";
		String temp = this.path + ".tmp";
		return "umask 077 && " + mkdir + "rm -f " + temp + " && (set -C; cat > " + temp + ") && [ \"$(wc -c < " + temp
				+ ")\" -eq " + this.content.length + " ] && chmod 600 " + temp + " && mv -f " + temp + " " + this.path;
	}

	/**
	 * @return the path only (not even the content's length: a password's length is a
	 * hint)
	 */
	@Override
	public String toString() {
		return this.path;
	}

}
