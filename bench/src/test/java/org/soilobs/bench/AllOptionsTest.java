package org.soilobs.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AllOptionsTest {

    @Test
    void defaultsRampFromTwoToSixtyThousandInEightStepsOfTwentyFiveSeconds() {
        AllOptions options = AllOptions.parse();
        assertThat(options.ramp().rates()).hasSize(8).startsWith(2_000).endsWith(60_000);
        assertThat(options.stepSeconds()).isEqualTo(25);
        assertThat(options.fields()).isEqualTo(500);
        assertThat(options.baselines()).isTrue();
    }

    @Test
    void readsTheShortRunOfTheReadme() {
        AllOptions options = AllOptions.parse("--steps", "2", "--step-seconds", "10", "--no-baselines");
        assertThat(options.ramp().rates()).containsExactly(2_000, 60_000);
        assertThat(options.stepSeconds()).isEqualTo(10);
        assertThat(options.baselines()).isFalse();
    }

    @Test
    void explicitRatesReplaceTheRamp() {
        assertThat(AllOptions.parse("--rates", "1000, 5_000,20000").ramp().rates()).containsExactly(1_000, 5_000, 20_000);
    }

    @Test
    void saysWhatIsWrongWithAnOption() {
        assertThatThrownBy(() -> AllOptions.parse("--steps")).hasMessage("--steps needs a value");
        assertThatThrownBy(() -> AllOptions.parse("--step-seconds", "ten")).hasMessageContaining("whole number");
        assertThatThrownBy(() -> AllOptions.parse("--speed", "1")).hasMessage("unknown option --speed");
        assertThatThrownBy(() -> AllOptions.parse("--step-seconds", "0")).hasMessageContaining("at least 1");
    }
}
