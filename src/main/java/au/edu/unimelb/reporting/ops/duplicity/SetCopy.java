package au.edu.unimelb.reporting.ops.duplicity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Copies a finished duplicity set (encrypted once, into a local folder) to a
 * {@code file://} target's folder, file by file, so that the set there is the very same
 * set: duplicity lists, verifies and restores it as if it had uploaded it. Each file is
 * copied under a temporary name ({@code .NAME.part}) and then renamed into place, and the
 * manifest goes last: a copy cut off at any point leaves at most whole volumes without
 * their manifest, which duplicity lists as an incomplete set and {@code cleanup} deletes,
 * and temporary files, which the next copy or clean-up deletes. The files are copied, not
 * linked: each tier keeps a copy of its own.
 */
public final class SetCopy {

	private static final String PART = ".part";

	private static final Pattern MANIFEST = Pattern.compile("duplicity-full\\.(\\d{8}T\\d{6}Z)\\.manifest\\.gpg");

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

	private SetCopy() {
	}

	/**
	 * Copies the one set in {@code from} into {@code to} (made if missing), manifest
	 * last.
	 * @return the bytes copied
	 * @throws IllegalStateException when {@code from} does not hold exactly one complete
	 * set's files (one manifest)
	 * @throws UncheckedIOException when a file cannot be read or written
	 */
	public static long copy(Path from, Path to) {
		List<Path> files = setFiles(from);
		List<Path> manifests = files.stream().filter(SetCopy::isManifest).toList();
		if (manifests.size() != 1) {
			throw new IllegalStateException(from + " holds " + manifests.size() + " manifests, not one set");
		}
		List<Path> ordered = new ArrayList<>(files.stream().filter((file) -> !isManifest(file)).sorted().toList());
		ordered.add(manifests.get(0));
		try {
			Files.createDirectories(to);
			removeLeftovers(to);
			long bytes = 0;
			for (Path file : ordered) {
				String name = file.getFileName().toString();
				Path part = to.resolve("." + name + PART);
				Files.copy(file, part, StandardCopyOption.REPLACE_EXISTING);
				Files.move(part, to.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
				bytes += Files.size(file);
			}
			return bytes;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot copy the set in " + from + " to " + to, ex);
		}
	}

	/**
	 * The time of the one set in a folder, read from its manifest's name
	 * ({@code duplicity-full.20260301T143000Z.manifest.gpg}).
	 * @throws IllegalStateException when the folder does not hold exactly one set
	 */
	public static Instant setTime(Path folder) {
		List<Path> manifests = setFiles(folder).stream().filter(SetCopy::isManifest).toList();
		if (manifests.size() != 1) {
			throw new IllegalStateException(folder + " holds " + manifests.size() + " manifests, not one set");
		}
		Matcher name = MANIFEST.matcher(manifests.get(0).getFileName().toString());
		if (!name.matches()) {
			throw new IllegalStateException("Not a full set's manifest: " + manifests.get(0));
		}
		return LocalDateTime.parse(name.group(1), TIME).toInstant(ZoneOffset.UTC);
	}

	/**
	 * Whether a folder holds a finished set to copy: its files and exactly one manifest.
	 */
	public static boolean holdsOneSet(Path folder) {
		return Files.isDirectory(folder) && setFiles(folder).stream().filter(SetCopy::isManifest).count() == 1;
	}

	/**
	 * Deletes the temporary files a copy cut off left in a target's folder (nothing
	 * else).
	 */
	public static void removeLeftovers(Path to) {
		if (!Files.isDirectory(to)) {
			return;
		}
		try (Stream<Path> files = Files.list(to)) {
			for (Path file : files.toList()) {
				String name = file.getFileName().toString();
				if (name.startsWith(".duplicity-") && name.endsWith(PART)) {
					Files.deleteIfExists(file);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot clean up " + to, ex);
		}
	}

	private static List<Path> setFiles(Path folder) {
		try (Stream<Path> files = Files.list(folder)) {
			return files.filter(Files::isRegularFile)
				.filter((file) -> file.getFileName().toString().startsWith("duplicity-"))
				.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot list " + folder, ex);
		}
	}

	private static boolean isManifest(Path file) {
		return file.getFileName().toString().endsWith(".manifest.gpg");
	}

}
