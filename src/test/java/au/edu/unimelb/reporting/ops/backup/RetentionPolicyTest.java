package au.edu.unimelb.reporting.ops.backup;

import java.time.DayOfWeek;

import au.edu.unimelb.reporting.ops.nightly.BackupSettings;
import au.edu.unimelb.reporting.ops.nightly.TestBackupSettings;
import au.edu.unimelb.reporting.ops.nightly.Tier;
import org.junit.jupiter.api.Test;

import static au.edu.unimelb.reporting.ops.nightly.TestBackupSettings.MELBOURNE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RetentionPolicyTest {

	final BackupSettings settings = TestBackupSettings.settings(10, 4, 6, DayOfWeek.SUNDAY, 1, 3);

	@Test
	void takesEachTiersWindowFromTheSettings() {
		assertThat(RetentionPolicy.of(this.settings, Tier.DAILY))
			.isEqualTo(new RetentionPolicy(Tier.DAILY, 10, 3, MELBOURNE));
		assertThat(RetentionPolicy.of(this.settings, Tier.WEEKLY))
			.isEqualTo(new RetentionPolicy(Tier.WEEKLY, 4, 3, MELBOURNE));
		assertThat(RetentionPolicy.of(this.settings, Tier.MONTHLY))
			.isEqualTo(new RetentionPolicy(Tier.MONTHLY, 6, 3, MELBOURNE));
	}

	@Test
	void describesItsWindowInTheTiersUnit() {
		assertThat(new RetentionPolicy(Tier.DAILY, 7, 2, MELBOURNE).window()).isEqualTo("7 days");
		assertThat(new RetentionPolicy(Tier.DAILY, 1, 2, MELBOURNE).window()).isEqualTo("1 day");
		assertThat(new RetentionPolicy(Tier.WEEKLY, 5, 2, MELBOURNE).window()).isEqualTo("5 weeks");
		assertThat(new RetentionPolicy(Tier.MONTHLY, 1, 2, MELBOURNE).window()).isEqualTo("1 month");
	}

	@Test
	void refusesAnEmptyWindowOrFloor() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RetentionPolicy(Tier.DAILY, 0, 2, MELBOURNE));
		assertThatIllegalArgumentException().isThrownBy(() -> new RetentionPolicy(Tier.DAILY, 7, 0, MELBOURNE));
	}

}
