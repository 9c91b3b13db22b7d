package au.edu.unimelb.reporting.ops.backup;

import java.time.Instant;
import java.util.Objects;

/**
 * One backup set in a tier: a duplicity full backup, its own chain.
 *
 * @param time when the set was made (the chain's time, as duplicity lists it)
 * @param verified whether its upload and its verify both succeeded; a set that failed
 * either is not complete and never counts toward the floor of retention
 */
public record BackupSet(Instant time, boolean verified) {

	public BackupSet {
		Objects.requireNonNull(time, "time");
	}

}
