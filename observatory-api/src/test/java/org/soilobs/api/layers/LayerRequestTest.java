package org.soilobs.api.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.soilobs.api.Queries;
import org.soilobs.api.problem.ProblemException;
import org.soilobs.api.problem.ProblemType;
import org.soilobs.model.Level;
import org.soilobs.model.Quantity;
import org.soilobs.model.Resolution;

class LayerRequestTest {

    @Test
    void readsLevelQuantityAndResolution() {
        LayerRequest request = LayerRequest.parse("subregion", Queries.parse("quantity=soil_temperature&resolution=P1D"));

        assertThat(request).isEqualTo(new LayerRequest(Level.SUBREGION, Quantity.SOIL_TEMPERATURE, Resolution.DAY));
    }

    @Test
    void defaultsToHourlyBuckets() {
        assertThat(LayerRequest.parse("country", Queries.parse("quantity=vwc")).resolution()).isEqualTo(Resolution.HOUR);
    }

    @Test
    void tagsDifferByEveryPartOfTheRequestAndTheVersion() {
        LayerRequest vwc = new LayerRequest(Level.COUNTRY, Quantity.VWC, Resolution.HOUR);

        assertThat(vwc.tag(7, "f1-x")).isEqualTo("country.vwc.PT1H.v7.f1-x")
                .isNotEqualTo(vwc.tag(8, "f1-x"))
                .isNotEqualTo(new LayerRequest(Level.COUNTRY, Quantity.SOC, Resolution.HOUR).tag(7, "f1-x"))
                .isNotEqualTo(new LayerRequest(Level.COUNTRY, Quantity.VWC, Resolution.DAY).tag(7, "f1-x"))
                .isNotEqualTo(new LayerRequest(Level.REGION, Quantity.VWC, Resolution.HOUR).tag(7, "f1-x"));
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of("county", "quantity=vwc", ProblemType.UNKNOWN_LAYER, 404, "level",
                        "Unknown level 'county'; use one of field, country, subregion, region, world"),
                Arguments.of("country", "", ProblemType.MISSING_PARAMETER, 400, "quantity",
                        "'quantity' is required"),
                Arguments.of("country", "quantity=", ProblemType.MISSING_PARAMETER, 400, "quantity",
                        "'quantity' is required"),
                Arguments.of("country", "quantity=moisture", ProblemType.UNKNOWN_QUANTITY, 400, "quantity",
                        "Unknown quantity 'moisture'; use one of soc, bulk_density, vwc"),
                Arguments.of("country", "quantity=vwc&resolution=PT15M", ProblemType.UNKNOWN_RESOLUTION, 400,
                        "resolution", "Unknown resolution 'PT15M'; use one of PT1H, P1D"),
                Arguments.of("country", "quantity=vwc&quantity=soc", ProblemType.REPEATED_PARAMETER, 400, "quantity",
                        "given 2 times"),
                Arguments.of("country", "quantity=vwc&bbox=1,2,3,4", ProblemType.UNKNOWN_PARAMETER, 400, "bbox",
                        "Unknown query parameter 'bbox'; this resource takes quantity, resolution"));
    }

    @ParameterizedTest(name = "{0}?{1} -> {3}")
    @MethodSource("mistakes")
    void refusesAMistakeWithItsReason(String level, String query, ProblemType type, int status, String parameter,
            String detail) {
        assertThatThrownBy(() -> LayerRequest.parse(level, Queries.parse(query)))
                .isInstanceOfSatisfying(ProblemException.class, problem -> {
                    assertThat(problem.type()).isEqualTo(type);
                    assertThat(problem.type().status()).isEqualTo(status);
                    assertThat(problem.parameter()).isEqualTo(parameter);
                    assertThat(problem.detail()).contains(detail);
                });
    }
}
