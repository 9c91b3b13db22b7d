package au.edu.unimelb.reporting.ops.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The administrator password the service makes up on a first start without a configured
 * one, as Jenkins does: it is written to {@code <data-dir>/initial-admin-password},
 * readable by the service's user only, and never logged.
 */
final class InitialAdminPassword {

	static final String FILE_NAME = "initial-admin-password";

	private static final SecureRandom RANDOM = new SecureRandom();

	private InitialAdminPassword() {
	}

	/**
	 * Makes up a password and writes it to the data directory with mode 600.
	 * @param dataDir the service's data directory (created if missing)
	 * @return the file's path and the password
	 */
	static Generated generate(Path dataDir) {
		byte[] bytes = new byte[18];
		RANDOM.nextBytes(bytes);
		String password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		Path file = dataDir.resolve(FILE_NAME).toAbsolutePath().normalize();
		try {
			Files.createDirectories(dataDir);
			// Replace an old file from a discarded database, and never let the new one be
			// readable by others,
			// not even for a moment: it is created with mode 600.
			Files.deleteIfExists(file);
			Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
			Files.writeString(file, password + System.lineSeparator(), StandardCharsets.UTF_8,
					StandardOpenOption.TRUNCATE_EXISTING);
		}
		catch (FileAlreadyExistsException ex) {
			throw new IllegalStateException("Another process created " + file + " at the same time", ex);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write the initial admin password to " + file, ex);
		}
		return new Generated(file, password);
	}

	record Generated(Path file, String password) {

		@Override
		public String toString() {
			return "Generated[file=" + this.file + "]";
		}

	}

}
