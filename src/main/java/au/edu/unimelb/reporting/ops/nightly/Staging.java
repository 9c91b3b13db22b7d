package au.edu.unimelb.reporting.ops.nightly;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.springframework.stereotype.Component;

/**
 * The staging folders of backup and restore runs ({@code ops.backup.staging-dir}): one
 * per run, named by its id, holding the dump and its row counts as a backup uploads them
 * ({@code dump/}) and the set they were encrypted into once ({@code set/}), or as a
 * restore fetched them ({@code restored/}). A run's folder is deleted when the run ends.
 */
@Component
public class Staging {

	/** The dump's file name inside a run's staging folder. */
	public static final String DUMP_FILE = "prod.dump";

	/** The row counts taken in the dump's snapshot ({@link RowCounts}). */
	public static final String ROW_COUNTS_FILE = "row-counts.tsv";

	private final BackupSettings settings;

	public Staging(BackupSettings settings) {
		this.settings = settings;
	}

	/** A run's staging folder. */
	public Path runFolder(String runId) {
		return this.settings.stagingDir().resolve(runId.replaceAll("[^A-Za-z0-9-]", "_"));
	}

	/**
	 * The folder a backup run stages its dump and row counts in (what duplicity uploads).
	 */
	public Path dumpFolder(String runId) {
		return runFolder(runId).resolve("dump");
	}

	/**
	 * The folder a backup run encrypts its dump into once, as a finished duplicity set
	 * that each {@code file://} tier gets a copy of.
	 */
	public Path setFolder(String runId) {
		return runFolder(runId).resolve("set");
	}

	/** duplicity's local cache of the set in {@link #setFolder}. */
	public Path setCacheFolder(String runId) {
		return runFolder(runId).resolve("set-cache");
	}

	/** The folder a restore run fetches the daily set into. */
	public Path restoredFolder(String runId) {
		return runFolder(runId).resolve("restored");
	}

	/**
	 * @throws StepFailedException when the folder cannot be made
	 */
	public static void createFolder(Path folder) {
		try {
			Files.createDirectories(folder);
		}
		catch (IOException ex) {
			throw new StepFailedException("Cannot create the staging folder " + folder + ": " + ex.getMessage());
		}
	}

	/** A file's size, 0 when it is not there. */
	public static long size(Path file) {
		try {
			return Files.exists(file) ? Files.size(file) : 0;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The size of the files in a folder, or -1 when it cannot be read. */
	public static long folderSize(Path folder) {
		try (Stream<Path> files = Files.walk(folder)) {
			return files.filter(Files::isRegularFile).mapToLong(Staging::size).sum();
		}
		catch (IOException ex) {
			return -1;
		}
	}

	/** Deletes a folder and everything in it, if it is there. */
	public static void deleteTree(Path folder) {
		if (!Files.exists(folder)) {
			return;
		}
		List<Path> paths = new ArrayList<>();
		try (Stream<Path> walk = Files.walk(folder)) {
			walk.sorted(Comparator.reverseOrder()).forEach(paths::add);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot list " + folder, ex);
		}
		for (Path path : paths) {
			try {
				Files.deleteIfExists(path);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot delete " + path, ex);
			}
		}
	}

}
