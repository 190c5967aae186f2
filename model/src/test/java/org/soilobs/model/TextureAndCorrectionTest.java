package org.soilobs.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The optional soil texture of a field (C03) and the quality-control correction of a reading, on the wire. */
class TextureAndCorrectionTest {

    private static final Placement GERMANY = new Placement("DEU", "155", "150");
    private static final Field LOAM = new Field("F1", 8.5, 49.0, 3, "cropland", 1.3, 0.1, 30, GERMANY);
    private static final Instant T0 = Instant.parse("2026-11-20T09:00:00Z");
    private static final Reading READING = new Reading("gw-1", 1, "S1", "F1", Quantity.VWC, T0, 0.42, 0, 30, T0);

    @ParameterizedTest(name = "bulk density {0} g/cm3 → saturation {1}")
    @CsvSource({"1.30, 0.5094", "1.60, 0.3962", "1.10, 0.5849"})
    void saturationIsThePorosityFromBulkDensityOnceTheTextureIsKnown(double bulkDensity, double saturation) {
        Field field = new Field("F1", 8.5, 49.0, 3, "cropland", bulkDensity, 0, 30, GERMANY, 0.4, 0.2);

        assertThat(field.saturation()).isCloseTo(saturation, within(1e-4));
        assertThat(LOAM.saturation()).as("texture unknown").isNull();
    }

    @Test
    void aRegistrationWithoutTextureReadsAndWritesAsBefore() throws Exception {
        String old = "{\"id\":\"F1\",\"lon\":8.5,\"lat\":49.0,\"area_ha\":3.0,\"land_use\":\"cropland\",\"bulk_density\":1.3,"
                + "\"coarse_fraction\":0.1,\"depth_cm\":30,\"placement\":{\"country\":\"DEU\",\"subregion\":\"155\",\"region\":\"150\"}}";

        assertThat(Json.mapper().readValue(old, Field.class)).isEqualTo(LOAM);
        assertThat(Json.mapper().writeValueAsString(LOAM)).isEqualTo(old);
        Field textured = LOAM.withTexture(0.4, 0.2);
        assertThat(Json.mapper().readValue(Json.mapper().writeValueAsBytes(textured), Field.class)).isEqualTo(textured);
    }

    @ParameterizedTest(name = "sand {0}, clay {1}")
    @CsvSource({"0.4,", ",0.2", "0.8, 0.3", "-0.1, 0.2"})
    void refusesATextureThatIsHalfGivenOrNotFractions(Double sand, Double clay) {
        assertThatThrownBy(() -> new Field("F1", 8.5, 49.0, 3, "cropland", 1.3, 0.1, 30, GERMANY, sand, clay))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCorrectionTravelsWithTheFlagsItReplacesAndAFirstVersionWithout() throws Exception {
        EnrichedReading first = new EnrichedReading(READING, GERMANY, 3, List.of("D08"));
        EnrichedReading correction = new EnrichedReading(READING, GERMANY, 3, List.of("D06"), List.of("D08"));

        assertThat(Json.mapper().writeValueAsString(first)).doesNotContain("corrects");
        assertThat(Json.mapper().readValue(Json.mapper().writeValueAsBytes(correction), EnrichedReading.class))
                .isEqualTo(correction).matches(EnrichedReading::isCorrection);
        assertThat(first.isCorrection()).isFalse();
    }

    @Test
    void aCorrectionNeverInvolvesAGoodReading() {
        assertThatThrownBy(() -> new EnrichedReading(READING, GERMANY, 3, List.of("D06"), List.of("G")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EnrichedReading(READING, GERMANY, 3, List.of("G"), List.of("D08")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
