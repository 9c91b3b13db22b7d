package au.edu.unimelb.reporting.ops.backup;

import java.util.Arrays;
import java.util.List;

import org.springframework.stereotype.Component;

/**
 * The collection of {@code SubProcess_Tier}'s parallel branches:
 * {@code ${backupTiers.of(tiers)}} turns the run's {@code tiers} ({@code daily,weekly})
 * into one branch per tier.
 */
@Component("backupTiers")
public class BackupTiers {

	public List<String> of(String tiers) {
		return Arrays.stream(tiers.split(",")).map(String::trim).filter((tier) -> !tier.isEmpty()).toList();
	}

}
