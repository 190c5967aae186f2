package org.soilobs.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.soilobs.model.Field;
import org.soilobs.model.Placement;

class FieldRegistrarTest {

    private final FieldRegistrar registrar = new FieldRegistrar(ReferenceData.load());

    @Test
    void placesAFieldOnceFromItsPoint() {
        Field field = registrar.register("f-fra-0001", 1.9, 48.3, 42.5, "cropland", 1.35, 0.05, 30);

        assertThat(field.placement()).isEqualTo(new Placement("FRA", "155", "150"));
        assertThat(field.id()).isEqualTo("f-fra-0001");
        assertThat(field.lon()).isEqualTo(1.9);
        assertThat(field.lat()).isEqualTo(48.3);
        assertThat(field.areaHa()).isEqualTo(42.5);
        assertThat(field.landUse()).isEqualTo("cropland");
        assertThat(field.bulkDensity()).isEqualTo(1.35);
        assertThat(field.coarseFraction()).isEqualTo(0.05);
        assertThat(field.depthCm()).isEqualTo(30);
    }

    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({"-30, 30", "-5, 45.5", "0, -85"})
    void refusesAFieldOutsideEveryCountry(double lon, double lat) {
        assertThatThrownBy(() -> registrar.register("f-sea-0001", lon, lat, 10, "cropland", 1.3, 0, 30))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("f-sea-0001")
                .hasMessageContaining("lies in no country");
    }

    @Test
    void refusesAPointThatIsNotACoordinate() {
        assertThatThrownBy(() -> registrar.register("f-bad-0001", 200, 0, 10, "cropland", 1.3, 0, 30))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("f-bad-0001")
                .hasMessageContaining("longitude/latitude");
    }

    @Test
    void refusesInvalidSoilProperties() {
        assertThatThrownBy(() -> registrar.register("f-fra-0002", 1.9, 48.3, 10, "cropland", 3.5, 0, 30))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bulk density");
    }
}
