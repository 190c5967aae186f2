package org.soilobs.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.soilobs.model.Progress.Status;

class ProgressTest {

    private static final Instant AS_OF = Instant.parse("2026-11-22T00:00:00Z");

    private static Progress country(Double rate, Double low, Double high, Status status, int withTrend) {
        return new Progress(Level.COUNTRY, "FRA", AS_OF, 2, withTrend, new TreeMap<>(Map.of(status.id(), 2)), 1200, 1000,
                5.2, 1, 20, rate, low, high, status, null, null);
    }

    @ParameterizedTest(name = "[{0}, {1}] → {2}")
    @CsvSource(delimiter = '|', textBlock = """
            0.004   | 0.009  | on_track
            0.0039  | 0.009  | not_on_track
            -0.001  | 0.001  | not_on_track
            -0.003  | 0      | not_on_track
            -0.003  | -0.0001| losing
            """)
    void isOnTrackOnlyWhenTheWholeIntervalMeetsTheTarget(double low, double high, String status) {
        assertThat(Status.of(low, high).id()).isEqualTo(status);
    }

    @Test
    void travelsAsJsonWithItsStatusId() throws Exception {
        Progress progress = country(0.0052, 0.0031, 0.0074, Status.NOT_ON_TRACK, 2);

        String json = Json.mapper().writeValueAsString(progress);

        assertThat(json).contains("\"status\":\"not_on_track\"").contains("\"level\":\"country\"");
        assertThat(Json.mapper().readValue(json, Progress.class)).isEqualTo(progress);
        assertThat(progress.coverage()).isEqualTo(1.0);
        assertThat(progress.stockDensity()).isEqualTo(60.0);
    }

    @Test
    void refusesARateWithoutATrendAndAStatusThatContradictsIt() {
        assertThatThrownBy(() -> country(0.005, 0.004, 0.006, Status.INSUFFICIENT_DATA, 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> country(null, null, null, Status.NOT_ON_TRACK, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> country(0.005, 0.006, 0.007, Status.ON_TRACK, 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(country(null, null, null, Status.INSUFFICIENT_DATA, 0).rate()).isNull();
    }

    @Test
    void stockIsDerivedAndNeverMeasured() {
        assertThat(Quantity.SOC_STOCK.derived()).isTrue();
        assertThat(Quantity.SOC_STOCK.id()).isEqualTo("soc_stock");
        assertThat(Quantity.SOC_STOCK.unit()).isEqualTo("t/ha");
        assertThat(Quantity.measured()).doesNotContain(Quantity.SOC_STOCK).contains(Quantity.SOC, Quantity.BULK_DENSITY)
                .hasSize(Quantity.values().length - 1);
    }
}
