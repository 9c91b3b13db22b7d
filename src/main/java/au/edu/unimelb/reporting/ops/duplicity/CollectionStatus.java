package au.edu.unimelb.reporting.ops.duplicity;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code duplicity collection-status} says about a target: the time of every full
 * set of every chain, and whether a partial (orphaned or incomplete) set is lying there.
 * Duplicity prints times in the local time zone of its process; the commands run it with
 * {@code TZ=UTC}, so they are read as UTC.
 *
 * @param fullSets the full sets' times, oldest first
 * @param hasPartialSets whether an orphaned or incomplete set is there ({@code cleanup}
 * removes it)
 */
public record CollectionStatus(List<Instant> fullSets, boolean hasPartialSets) {

	private static final Pattern FULL_LINE = Pattern.compile(
			"^\\s*Full\\s+(\\w{3}\\s+\\w{3}\\s+\\d{1,2}\\s+\\d{2}:\\d{2}:\\d{2}\\s+\\d{4})\\s+\\d+\\s*$",
			Pattern.MULTILINE);

	private static final DateTimeFormatter CTIME = DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.ROOT);

	public CollectionStatus {
		fullSets = fullSets.stream().sorted().toList();
	}

	/**
	 * Reads the output of {@code collection-status}.
	 * @param stdout its standard output
	 * @return the sets found
	 * @throws IllegalArgumentException when it is not collection-status output
	 */
	public static CollectionStatus parse(String stdout) {
		if (!stdout.contains("Collection Status")) {
			throw new IllegalArgumentException("Not the output of duplicity collection-status: "
					+ stdout.substring(0, Math.min(200, stdout.length())));
		}
		Matcher matcher = FULL_LINE.matcher(stdout);
		List<Instant> sets = new java.util.ArrayList<>();
		while (matcher.find()) {
			String time = matcher.group(1).replaceAll("\\s+", " ");
			sets.add(LocalDateTime.parse(time, CTIME).toInstant(ZoneOffset.UTC));
		}
		boolean clean = stdout.contains("No orphaned or incomplete backup sets found.");
		return new CollectionStatus(sets, !clean);
	}

	/**
	 * @return the newest full set's time, or {@code null} when there is none
	 */
	public Instant newest() {
		return this.fullSets.isEmpty() ? null : this.fullSets.get(this.fullSets.size() - 1);
	}

}
