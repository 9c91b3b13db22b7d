package au.edu.unimelb.reporting.ops.restore;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The QA migrations are one SSH call, which the job lock must outlast by the SSH grace.
 */
class QaRestoreSettingsTest {

	@Test
	void countsTheMigrationsAsOneSshCallOfItsTimeoutPlusTheGrace() {
		QaRestoreSettings settings = new QaRestoreSettings(List.of("true"), null, 22, "reporting", null, null, 20);

		assertThat(settings.stepTimeouts())
			.containsExactly(Map.entry("ops.qa-restore.timeout-seconds + 2 s (one SSH call)", Duration.ofSeconds(22)));
	}

}
