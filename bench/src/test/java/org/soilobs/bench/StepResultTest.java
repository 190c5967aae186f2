package org.soilobs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StepResultTest {

    static final LagTrend.Trend FLAT = new LagTrend.Trend(10, 10_000, 500, 600, 900, true);
    static final LagTrend.Trend GROWING = new LagTrend.Trend(3_000, 10_000, 500, 60_000, 60_000, false);

    static Freshness freshness(double p99) {
        return new Freshness(500, 0, p99 / 3, p99 / 2, p99, p99 * 1.2);
    }

    static StepResult step(int rate, double achieved, double p99, LagTrend.Trend lag) {
        return new StepResult(1, rate, achieved, achieved, 25, 0, freshness(p99 * 0.8), freshness(p99),
                Map.of("soilobs-sink", lag), Map.of("sink", 12.5, "total", 80.0), 1.5, 900, 150, 400, 1.2);
    }

    @Test
    void aStepThatKeepsUpIsSustained() {
        assertThat(step(10_000, 9_990, 400, FLAT).shortfalls()).isEmpty();
    }

    @Test
    void namesEveryShortfall() {
        StepResult step = new StepResult(3, 20_000, 15_000, 11_000, 25, 0, freshness(900),
                new Freshness(480, 20, 800, 1_500, 2_400, 3_000), Map.of("soilobs-enrich", GROWING), Map.of(), 2, 1, 1,
                1, 9);
        assertThat(step.sustained()).isFalse();
        assertThat(step.shortfalls()).containsExactly("delivered 75 % of the offered rate",
                "ingest forwarded 73 % of the published rate", "p99 freshness 2400 ms", "20 markers not seen",
                "soilobs-enrich lag grows 3000/s");
    }

    @Test
    void freshnessOfExactlyOneSecondStillCounts() {
        assertThat(step(10_000, 10_000, 1_000, FLAT).sustained()).isTrue();
        assertThat(step(10_000, 10_000, 1_001, FLAT).sustained()).isFalse();
    }

    @Test
    void aStepWithoutMarkersIsNotSustained() {
        StepResult step = new StepResult(1, 2_000, 2_000, 2_000, 25, 0, Freshness.of(Freshness.histogram(), 0),
                Freshness.of(Freshness.histogram(), 0), Map.of(), Map.of(), 1, 1, 1, 1, 1);
        assertThat(step.shortfalls()).containsExactly("no freshness marker measured");
    }

    @Test
    void theHighestSustainedRateIgnoresFailedStepsAnywhereInTheRamp() {
        List<StepResult> ramp = List.of(step(2_000, 2_000, 300, FLAT), step(5_000, 5_000, 1_500, FLAT),
                step(10_000, 10_000, 600, FLAT), step(20_000, 20_000, 700, GROWING));
        assertThat(StepResult.highestSustained(ramp)).map(StepResult::offered).hasValue(10_000.0);
        assertThat(StepResult.highestSustained(List.of(step(2_000, 1_000, 300, FLAT)))).isEmpty();
    }
}
