package au.edu.unimelb.reporting.ops.duplicity;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Copies a finished duplicity set (encrypted once, into a local folder) to a
 * {@code file://} target's folder, file by file, so that the set there is the very same
 * set: duplicity lists, verifies and restores it as if it had uploaded it. Each file is
 * copied under a temporary name ({@code .NAME.TRY.part}) and then renamed into place, and
 * the manifest goes last: a copy cut off at any point leaves at most whole volumes
 * without their manifest, which duplicity lists as an incomplete set and {@code cleanup}
 * deletes, and temporary files, which the next copy or clean-up deletes. The files are
 * copied, not linked: each tier keeps a copy of its own.
 */
public final class SetCopy {

	private static final String PART = ".part";

	/** The bytes copied between two looks at the deadline. */
	static final long CHUNK = 16L * 1024 * 1024;

	/** A temporary file untouched this long belongs to a try that was cut off. */
	static final Duration ABANDONED = Duration.ofMinutes(2);

	private static final Pattern MANIFEST = Pattern.compile("duplicity-full\\.(\\d{8}T\\d{6}Z)\\.manifest\\.gpg");

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

	private SetCopy() {
	}

	/**
	 * Copies the one set in {@code from} into {@code to} (made if missing), manifest
	 * last, each file under a temporary name of this try's own (two nodes copying the
	 * same set at once, after one lost the database, never write the same file) and
	 * forced to disk before it is renamed into place.
	 * @param timeout the longest the whole copy may take: it is checked between chunks of
	 * {@value #CHUNK} bytes, so a slow disk ends the copy, not the night
	 * @return the bytes copied
	 * @throws IllegalStateException when {@code from} does not hold exactly one complete
	 * set's files (one manifest)
	 * @throws UncheckedIOException when a file cannot be read or written, or the copy ran
	 * out of time (an {@link InterruptedIOException})
	 */
	public static long copy(Path from, Path to, Duration timeout) {
		List<Path> files = setFiles(from);
		List<Path> manifests = files.stream().filter(SetCopy::isManifest).toList();
		if (manifests.size() != 1) {
			throw new IllegalStateException(from + " holds " + manifests.size() + " manifests, not one set");
		}
		List<Path> ordered = new ArrayList<>(files.stream().filter((file) -> !isManifest(file)).sorted().toList());
		ordered.add(manifests.get(0));
		long deadline = System.nanoTime() + timeout.toNanos();
		String tryId = UUID.randomUUID().toString().substring(0, 8);
		try {
			Files.createDirectories(to);
			// what a try cut off before left, not what another node's try writes now
			removeLeftovers(to, ABANDONED);
			long bytes = 0;
			for (Path file : ordered) {
				String name = file.getFileName().toString();
				Path part = to.resolve("." + name + "." + tryId + PART);
				bytes += copyFile(file, part, deadline, timeout);
				Files.move(part, to.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			}
			forceFolder(to);
			// the set is whole here now: what any other try left of it is of no use
			removeLeftovers(to);
			return bytes;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot copy the set in " + from + " to " + to + ": " + ex.getMessage(), ex);
		}
	}

	private static long copyFile(Path file, Path part, long deadline, Duration timeout) throws IOException {
		try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
				// a new file: never through a link someone left under that name
				FileChannel out = FileChannel.open(part, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
			long size = in.size();
			long done = 0;
			while (done < size) {
				if (System.nanoTime() - deadline > 0) {
					throw new InterruptedIOException("not done within " + timeout.toSeconds() + " s");
				}
				done += in.transferTo(done, Math.min(CHUNK, size - done), out);
			}
			out.force(true);
			return done;
		}
		catch (IOException ex) {
			Files.deleteIfExists(part);
			throw ex;
		}
	}

	/** The renames too reach the disk (Linux lets a folder be opened and forced). */
	private static void forceFolder(Path folder) {
		try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
			channel.force(true);
		}
		catch (IOException ex) {
			// not possible on every file system; the files themselves were forced
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
	 * Deletes the temporary files copies cut off left in a target's folder (nothing
	 * else).
	 */
	public static void removeLeftovers(Path to) {
		removeLeftovers(to, Duration.ZERO);
	}

	/**
	 * Deletes the temporary files copies left in a target's folder that nothing has
	 * written to for this long.
	 */
	static void removeLeftovers(Path to, Duration untouchedFor) {
		if (!Files.isDirectory(to)) {
			return;
		}
		Instant before = Instant.now().minus(untouchedFor);
		try (Stream<Path> files = Files.list(to)) {
			for (Path file : files.toList()) {
				String name = file.getFileName().toString();
				if (name.startsWith(".duplicity-") && name.endsWith(PART)
						&& !Files.getLastModifiedTime(file).toInstant().isAfter(before)) {
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
