package au.edu.unimelb.reporting.ops.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The processes of this machine as {@code /proc} shows them, read the way the secret
 * watches need: a process may end between two reads, and then reads as empty (no argv, no
 * environment), never as an error.
 */
public final class Proc {

	private static final Path PROC = Path.of("/proc");

	private static final Pattern INTERPRETER = Pattern.compile("python[0-9.]*|perl|sh|bash");

	private Proc() {
	}

	/** The ids of the processes running now. */
	public static List<Long> pids() {
		List<Long> pids = new ArrayList<>();
		try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, "[0-9]*")) {
			for (Path process : processes) {
				pids.add(Long.parseLong(process.getFileName().toString()));
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot list " + PROC, ex);
		}
		return pids;
	}

	/**
	 * A process's argv ({@code /proc/PID/cmdline}): empty for a process that is gone, and
	 * for a kernel thread.
	 */
	public static List<String> argv(long pid) {
		return split(read(pid, "cmdline"));
	}

	/**
	 * A process's environment as it was when it started ({@code /proc/PID/environ}), as
	 * {@code NAME=value} entries: empty for a process that is gone.
	 */
	public static List<String> environment(long pid) {
		return split(read(pid, "environ"));
	}

	/** The name of a variable: {@code NAME} of {@code NAME=value}. */
	public static String name(String variable) {
		int equals = variable.indexOf('=');
		return (equals >= 0) ? variable.substring(0, equals) : variable;
	}

	/**
	 * Names a process by its program (past an interpreter such as python3 or perl) and
	 * its first argument when that is a word: {@code duplicity full}, {@code pg_dump}.
	 */
	public static String program(List<String> argv) {
		int at = 0;
		while (at < argv.size() - 1 && INTERPRETER.matcher(baseName(argv.get(at))).matches()) {
			at++;
		}
		String name = baseName(argv.get(at));
		boolean subcommand = at + 1 < argv.size() && argv.get(at + 1).matches("[a-z][a-z-]*");
		return subcommand ? name + " " + argv.get(at + 1) : name;
	}

	static String baseName(String path) {
		int slash = path.lastIndexOf('/');
		return (slash >= 0) ? path.substring(slash + 1) : path;
	}

	private static String read(long pid, String file) {
		try {
			return new String(Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve(file)),
					StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			// gone meanwhile (or not ours to read)
			return "";
		}
	}

	private static List<String> split(String nulSeparated) {
		List<String> parts = new ArrayList<>();
		for (String part : nulSeparated.split("\0")) {
			if (!part.isEmpty()) {
				parts.add(part);
			}
		}
		return parts;
	}

}
