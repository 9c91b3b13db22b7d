package au.edu.unimelb.reporting.ops.shell;

/**
 * Commands of programs the service itself never runs ({@code sleep}, {@code echo}), for
 * tests of other packages that need a program running (the lock renewal stops them). The
 * service's code can make a {@link Command} of a {@link Program} only.
 */
public final class TestPrograms {

	private TestPrograms() {
	}

	public static Command command(String program, String... arguments) {
		return Command.anyProgram(program, arguments);
	}

}
