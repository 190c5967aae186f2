package org.soilobs.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ModelTest {

    private static final Instant T = Instant.parse("2026-11-20T09:40:00Z");

    @ParameterizedTest(name = "{0} {1} possible: {2}")
    @CsvSource({
        "soc, 17.4, true",
        "soc, -0.1, false",
        "soc, 1000.1, false",
        "vwc, 0.75, true",
        "vwc, 1.01, false",
        "soil_temperature, -60, true",
        "soil_temperature, 60.5, false",
        "ec, 28.2, true",
        "ec, -1, false",
        "ph, 1.4, false",
        "ph, 13, true",
        "bulk_density, 0, false",
        "co2_flux, 45, true",
    })
    void hardBoundsDecideWhatIsPhysicallyPossible(String quantity, double value, boolean possible) {
        assertThat(Quantity.fromId(quantity).isPossible(value)).isEqualTo(possible);
    }

    @Test
    void nanAndInfinityAreNeverPossible() {
        assertThat(Quantity.EC.isPossible(Double.NaN)).isFalse();
        assertThat(Quantity.EC.isPossible(Double.POSITIVE_INFINITY)).isFalse();
    }

    @Test
    void rejectsReadingOutsideHardBounds() {
        assertThatThrownBy(() -> reading(Quantity.VWC, 1.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vwc");
    }

    @Test
    void readingSurvivesAJsonRoundTripWithSnakeCaseNames() throws Exception {
        Reading reading = reading(Quantity.SOIL_TEMPERATURE, 9.6);

        String json = Json.mapper().writeValueAsString(reading);

        assertThat(json).contains("\"quantity\":\"soil_temperature\"", "\"depth_top_cm\":0", "\"time\":\"2026-11-20T09:40:00Z\"");
        assertThat(Json.mapper().readValue(json, Reading.class)).isEqualTo(reading);
    }

    @Test
    void bucketsAreAlignedToUtcHoursAndDays() {
        assertThat(Resolution.HOUR.bucketOf(T)).isEqualTo(Instant.parse("2026-11-20T09:00:00Z"));
        assertThat(Resolution.DAY.bucketOf(T)).isEqualTo(Instant.parse("2026-11-20T00:00:00Z"));
        assertThat(Resolution.HOUR.bucketOf(Instant.parse("1969-12-31T23:30:00Z")))
                .isEqualTo(Instant.parse("1969-12-31T23:00:00Z"));
    }

    @Test
    void aggregateKeyRejectsUnalignedBucket() {
        assertThatThrownBy(() -> new AggregateKey(Level.COUNTRY, "FRA", Quantity.VWC, Resolution.HOUR, T))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void levelsChainUpToTheWorld() {
        assertThat(Level.FIELD.parent()).contains(Level.COUNTRY);
        assertThat(Level.REGION.parent()).contains(Level.WORLD);
        assertThat(Level.WORLD.parent()).isEmpty();
        assertThat(new Placement("FRA", "155", "150").codeAt(Level.WORLD)).isEqualTo("001");
    }

    @Test
    void enrichedReadingIsGoodOnlyWithTheSingleFlagG() {
        Placement placement = new Placement("FRA", "155", "150");
        assertThat(new EnrichedReading(reading(Quantity.VWC, 0.2), placement, 3, List.of("G")).isGood()).isTrue();
        assertThat(new EnrichedReading(reading(Quantity.VWC, 0.7), placement, 3, List.of("C02")).isGood()).isFalse();
    }

    @Test
    void enrichedReadingSurvivesAJsonRoundTrip() throws Exception {
        EnrichedReading enriched = new EnrichedReading(reading(Quantity.VWC, 0.2), new Placement("FRA", "155", "150"), 3,
                List.of("G"));

        String json = Json.mapper().writeValueAsString(enriched);

        assertThat(Json.mapper().readValue(json, EnrichedReading.class)).isEqualTo(enriched);
    }

    private static Reading reading(Quantity quantity, double value) {
        return new Reading("gw-1", 1, "s-1", "f-1", quantity, T, value, 0, 10, T.plusSeconds(2));
    }
}
