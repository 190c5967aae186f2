package org.soilobs.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RampScheduleTest {

    @Test
    void risesInEqualRatiosRoundedToTwoDigits() {
        // 60 000 / 2 000 = 30 = 1.6256^7: 3 251, 5 285, 8 592, 13 966, 22 704, 36 908 before rounding.
        assertThat(RampSchedule.geometric(2_000, 60_000, 8).rates())
                .containsExactly(2_000, 3_300, 5_300, 8_600, 14_000, 23_000, 37_000, 60_000);
    }

    @Test
    void keepsBothEndsExactly() {
        assertThat(RampSchedule.geometric(1_234, 56_789, 3).rates()).containsExactly(1_234, 8_400, 56_789);
    }

    @Test
    void oneStepIsTheFirstRate() {
        assertThat(RampSchedule.geometric(2_000, 60_000, 1).rates()).containsExactly(2_000);
    }

    @Test
    void crowdedStepsStillRise() {
        assertThat(RampSchedule.geometric(10, 12, 3).rates()).containsExactly(10, 11, 12);
    }

    @ParameterizedTest
    @CsvSource({"3251, 3300", "5285, 5300", "13966, 14000", "949, 950", "99, 99", "15, 15"})
    void roundsToTwoSignificantDigits(double value, int expected) {
        assertThat(RampSchedule.twoSignificantDigits(value)).isEqualTo(expected);
    }

    @Test
    void rejectsRatesThatDoNotRise() {
        assertThatThrownBy(() -> new RampSchedule(List.of(5_000, 5_000))).hasMessageContaining("rise");
        assertThatThrownBy(() -> RampSchedule.geometric(60_000, 2_000, 4)).hasMessageContaining("at least as high");
        assertThatThrownBy(() -> RampSchedule.geometric(10, 11, 5)).hasMessageContaining("distinct steps");
        assertThatThrownBy(() -> RampSchedule.geometric(2_000, 60_000, 0)).hasMessageContaining("--steps");
    }
}
