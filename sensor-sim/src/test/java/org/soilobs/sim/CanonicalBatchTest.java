package org.soilobs.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.soilobs.model.Json;

class CanonicalBatchTest {

    /** ../shared/samples/canonical-batch.json, the format's reference example. */
    private static final String SAMPLE = """
            {
              "schema": "soil-readings/1",
              "gateway": "gw-fr-beauce-1",
              "seq": 48121,
              "readings": [
                {"sensor": "fr-0042-p1", "time": "2026-11-20T09:40:00Z", "quantity": "soc", "value": 17.4, "unit": "g/kg", "depth_cm": [0, 30]},
                {"sensor": "fr-0042-p1", "time": "2026-11-20T09:40:00Z", "quantity": "vwc", "value": 0.231, "unit": "m3/m3", "depth_cm": [0, 10]},
                {"sensor": "fr-0042-p1", "time": "2026-11-20T09:40:00Z", "quantity": "soil_temperature", "value": 9.6, "unit": "Cel", "depth_cm": [0, 10]},
                {"sensor": "fr-0042-p1", "time": "2026-11-20T09:40:00Z", "quantity": "ec", "value": 0.41, "unit": "dS/m", "depth_cm": [0, 10]}
              ]
            }
            """;

    private static final Instant T = Instant.parse("2026-11-20T09:40:00Z");

    @Test
    void writesTheSampleExactlyAsTheFormatShowsIt() throws Exception {
        CanonicalBatch batch = CanonicalBatch.parse(SAMPLE.getBytes(StandardCharsets.UTF_8));
        String compactSample = Json.mapper().writeValueAsString(Json.mapper().readTree(SAMPLE));

        assertThat(new String(batch.payload(), StandardCharsets.UTF_8)).isEqualTo(compactSample);
    }

    @Test
    void writesFieldsInAFixedOrder() {
        CanonicalBatch batch = new CanonicalBatch("gw-fra-0001", 7, List.of(
                new CanonicalBatch.Reading("f-fra-0001-p1", T, "ph", 6.5, "[pH]", 0, 10)));

        assertThat(new String(batch.payload(), StandardCharsets.UTF_8)).isEqualTo(
                "{\"schema\":\"soil-readings/1\",\"gateway\":\"gw-fra-0001\",\"seq\":7,\"readings\":[{\"sensor\":"
                        + "\"f-fra-0001-p1\",\"time\":\"2026-11-20T09:40:00Z\",\"quantity\":\"ph\",\"value\":6.5,"
                        + "\"unit\":\"[pH]\",\"depth_cm\":[0,10]}]}");
        assertThat(batch.topic()).isEqualTo("soil/v1/gw-fra-0001/up");
        assertThat(batch.readingCount()).isEqualTo(1);
    }

    @Test
    void readsBackWhatItWrote() {
        CanonicalBatch batch = new CanonicalBatch("gw-ken-0002", Long.MAX_VALUE, List.of(
                new CanonicalBatch.Reading("f-ken-0002-p1", T.plusMillis(120), "vwc", 0.05, "m3/m3", 0, 10),
                new CanonicalBatch.Reading("f-ken-0002-p9", T, "moonlight", 0.25, "lx", 0, 10),
                new CanonicalBatch.Reading("f-ken-0002-p1", T, "soil_temperature", -12.5, "Cel", 0, 10),
                new CanonicalBatch.Reading("f-ken-0002-p1", T, "soc", 1200.0, "g/kg", 0, 30)));

        assertThat(CanonicalBatch.parse(batch.payload())).isEqualTo(batch);
        assertThat(batch.payload()).isEqualTo(batch.payload());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "[]",
        "{\"schema\":\"soil-readings/2\",\"gateway\":\"g\",\"seq\":1,\"readings\":[]}",
        "{\"schema\":\"soil-readings/1\",\"gateway\":\"g\",\"seq\":1.5,\"readings\":[]}",
        "{\"schema\":\"soil-readings/1\",\"gateway\":\"g\",\"seq\":1,\"readings\":[]}",
        "{\"schema\":\"soil-readings/1\",\"gateway\":\"g\",\"seq\":1,\"readings\":[{\"sensor\":\"s\",\"time\":\"yesterday\","
                + "\"quantity\":\"ph\",\"value\":6,\"unit\":\"[pH]\",\"depth_cm\":[0,10]}]}",
        "{\"schema\":\"soil-readings/1\",\"gateway\":\"g\",\"seq\":1,\"readings\":[{\"sensor\":\"s\",\"time\":"
                + "\"2026-11-20T09:40:00Z\",\"quantity\":\"ph\",\"value\":\"6\",\"unit\":\"[pH]\",\"depth_cm\":[0,10]}]}",
        "{\"schema\":\"soil-readings/1\",\"gateway\":\"g\",\"seq\":1,\"readings\":[{\"sensor\":\"s\",\"time\":"
                + "\"2026-11-20T09:40:00Z\",\"quantity\":\"ph\",\"value\":6,\"unit\":\"[pH]\",\"depth_cm\":[0]}]}",
    })
    void refusesWhatIsNotACanonicalBatch(String json) {
        assertThatThrownBy(() -> CanonicalBatch.parse(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesValuesJsonCannotCarry() {
        assertThatThrownBy(() -> new CanonicalBatch.Reading("s", T, "vwc", Double.NaN, "m3/m3", 0, 10))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
