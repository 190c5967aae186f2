package org.soilobs.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {

    private static final Instant T0 = Instant.parse("2026-11-20T09:00:00Z");
    private static final List<String> GOOD = List.of(EnrichedReading.GOOD);

    @Test
    void mergesGoodReadingsIntoCountSumAndExtremes() {
        Stats stats = Stats.of(0.2, T0, GOOD).merge(Stats.of(0.4, T0.plusSeconds(60), GOOD));

        assertThat(stats.count()).isEqualTo(2);
        assertThat(stats.mean()).isCloseTo(0.3, within(1e-12));
        assertThat(stats.min()).isEqualTo(0.2);
        assertThat(stats.max()).isEqualTo(0.4);
        assertThat(stats.first()).isEqualTo(T0);
        assertThat(stats.last()).isEqualTo(T0.plusSeconds(60));
        assertThat(stats.variance()).isCloseTo(0.02, within(1e-12));
        assertThat(stats.flags()).containsEntry("G", 2L);
    }

    @Test
    void countsFlaggedReadingsWithoutTheirValues() {
        Stats stats = Stats.of(0.2, T0, GOOD).merge(Stats.of(0.9, T0, List.of("C02")));

        assertThat(stats.count()).isEqualTo(1);
        assertThat(stats.max()).isEqualTo(0.2);
        assertThat(stats.flags()).containsEntry("G", 1L).containsEntry("C02", 1L);
        assertThat(stats.flaggedTotal()).isEqualTo(2);
    }

    @Test
    void areaWeightedMeanWeighsFieldMeansByArea() {
        Stats small = Stats.of(0.1, T0, GOOD).merge(Stats.of(0.3, T0, GOOD)).weightedByFieldArea(1);
        Stats large = Stats.of(0.5, T0, GOOD).weightedByFieldArea(3);

        Stats country = small.merge(large);

        // (1 × 0.2 + 3 × 0.5) / 4, while the mean of the three readings is 0.3
        assertThat(country.areaWeightedMean()).isCloseTo(0.425, within(1e-12));
        assertThat(country.mean()).isCloseTo(0.3, within(1e-12));
        assertThat(country.areaHa()).isEqualTo(4);
    }

    @Test
    void fieldWithoutGoodReadingsAddsNoArea() {
        Stats flaggedOnly = Stats.of(0.9, T0, List.of("C02")).weightedByFieldArea(5);

        assertThat(flaggedOnly.areaHa()).isZero();
        assertThat(flaggedOnly.areaWeightedMean()).isNaN();
    }

    @Test
    void emptyIsTheIdentityOfMerge() {
        Stats one = Stats.of(7, T0, GOOD);

        assertThat(Stats.empty().merge(one)).isEqualTo(one);
        assertThat(one.merge(Stats.empty())).isEqualTo(one);
    }

    @Test
    void survivesAJsonRoundTrip() throws Exception {
        Stats stats = Stats.of(0.2, T0, GOOD).merge(Stats.of(0.9, T0, List.of("C02"))).weightedByFieldArea(2.5);

        String json = Json.mapper().writeValueAsString(stats);

        assertThat(Json.mapper().readValue(json, Stats.class)).isEqualTo(stats);
        assertThat(Json.mapper().readValue(Json.mapper().writeValueAsString(Stats.empty()), Stats.class))
                .isEqualTo(Stats.empty());
    }
}
