package org.soilobs.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SoilProfileTest {

    private static final Offset<Double> CLOSE = Offset.offset(0.0005);

    @Test
    void wiltingPointAndFieldCapacityOfALoamFollowSaxtonAndRawls() {
        // S = 0.40, C = 0.20, OM = 2.5 %: θ1500t = 0.13774 → θ1500 = 0.13702; θ33t = 0.29376 → θ33 = 0.27961.
        assertThat(SoilProfile.wiltingPoint(0.40, 0.20, 2.5)).isCloseTo(0.13702, CLOSE);
        assertThat(SoilProfile.fieldCapacity(0.40, 0.20, 2.5)).isCloseTo(0.27961, CLOSE);
    }

    @ParameterizedTest(name = "bulk density {0} g/cm3 → porosity {1}")
    @CsvSource({"1.325, 0.500", "1.59, 0.400", "1.06, 0.600"})
    void saturationIsThePorosityFromBulkAndParticleDensity(double bulkDensity, double porosity) {
        assertThat(SoilProfile.derive(0.4, 0.2, 14.5, bulkDensity, 0).saturation()).isCloseTo(porosity, CLOSE);
    }

    @Test
    void socStockCountsOnlyTheFineEarth() {
        // 20 g/kg × 1.3 g/cm3 × 30 cm × (1 − 0.1) / 10 = 70.2 t C/ha.
        SoilProfile soil = SoilProfile.derive(0.4, 0.2, 20, 1.3, 0.1);
        assertThat(soil.socStockTonnesPerHa(30)).isCloseTo(70.2, Offset.offset(1e-9));
    }

    @Test
    void keepsWiltingPointBelowFieldCapacityBelowSaturationForAClayOnADenseSoil() {
        SoilProfile soil = SoilProfile.derive(0.10, 0.50, 8, 1.6, 0.2);
        assertThat(soil.wiltingPoint()).isLessThan(soil.fieldCapacity());
        assertThat(soil.fieldCapacity()).isLessThan(soil.saturation());
    }

    @Test
    void refusesATextureThatDoesNotAddUp() {
        assertThatThrownBy(() -> new SoilProfile(0.5, 0.5, 0.5, 10, 1.3, 0, 0.5, 0.3, 0.1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
