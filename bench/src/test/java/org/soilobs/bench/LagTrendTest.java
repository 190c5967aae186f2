package org.soilobs.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LagTrendTest {

    /** Input grows by {@code input}/s; lag follows {@code lag(t)}. */
    private static List<LagTrend.Sample> samples(int seconds, long input, java.util.function.IntToLongFunction lag) {
        List<LagTrend.Sample> samples = new ArrayList<>();
        for (int t = 0; t <= seconds; t++) {
            samples.add(new LagTrend.Sample(t, lag.applyAsLong(t), 1_000_000 + input * t));
        }
        return samples;
    }

    @Test
    void steadyLagIsFlat() {
        LagTrend.Trend trend = LagTrend.of(samples(20, 10_000, t -> 30_000));
        assertThat(trend.slopePerSecond()).isCloseTo(0, within(1e-9));
        assertThat(trend.inputPerSecond()).isCloseTo(10_000, within(1e-9));
        assertThat(trend.flat()).isTrue();
    }

    @Test
    void lagGrowingWithAFifthOfTheInputIsNotFlat() {
        LagTrend.Trend trend = LagTrend.of(samples(20, 10_000, t -> 2_000L * t + 50_000));
        assertThat(trend.slopePerSecond()).isCloseTo(2_000, within(1e-6));
        assertThat(trend.lastLag()).isEqualTo(90_000);
        assertThat(trend.maxLag()).isEqualTo(90_000);
        assertThat(trend.flat()).isFalse();
    }

    @Test
    void slowGrowthBelowFivePercentOfTheInputIsFlat() {
        assertThat(LagTrend.of(samples(20, 10_000, t -> 400L * t + 50_000)).flat()).isTrue();
    }

    @Test
    void aSawToothBelowOneSecondOfInputIsFlatWhateverItsSlope() {
        // Commits every few hundred ms: lag climbs and falls within a second's input.
        LagTrend.Trend trend = LagTrend.of(samples(4, 10_000, t -> t < 4 ? 2_000L * t : 9_000));
        assertThat(trend.slopePerSecond()).isGreaterThan(0.05 * 10_000);
        assertThat(trend.flat()).isTrue();
    }

    @Test
    void needsTwoSamplesOverSomeTime() {
        assertThatThrownBy(() -> LagTrend.of(List.of(new LagTrend.Sample(0, 1, 1))))
                .hasMessageContaining("two samples");
        assertThatThrownBy(() -> LagTrend.of(List.of(new LagTrend.Sample(1, 1, 1), new LagTrend.Sample(1, 2, 2))))
                .hasMessageContaining("span");
    }
}
