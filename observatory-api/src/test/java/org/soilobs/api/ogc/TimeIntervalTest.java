package org.soilobs.api.ogc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.soilobs.api.problem.ProblemException;
import org.soilobs.api.problem.ProblemType;

class TimeIntervalTest {

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource(delimiter = '|', value = {
        "2025-06-01T10:00:00Z                       | 2025-06-01T10:00:00Z | true",
        "2025-06-01T10:00:00Z                       | 2025-06-01T11:00:00Z | false",
        "2025-06-01T12:00:00+02:00                  | 2025-06-01T10:00:00Z | true",
        "2025-06-01/2025-06-02                      | 2025-06-02T00:00:00Z | true",
        "2025-06-01/2025-06-02                      | 2025-05-31T23:59:59Z | false",
        "../2025-06-01T10:30:00Z                    | 1950-01-01T00:00:00Z | true",
        "../2025-06-01T10:30:00Z                    | 2025-06-01T11:00:00Z | false",
        "2025-06-01T10:30:00Z/..                    | 2025-06-01T11:00:00Z | true",
        "2025-06-01T10:30:00Z/                      | 2025-06-01T10:00:00Z | false",
        "../..                                      | 2025-06-01T10:00:00Z | true",
    })
    void holdsInstantsWithinItsClosedBounds(String raw, String instant, boolean inside) {
        assertThat(TimeInterval.parse(raw).contains(Instant.parse(instant))).isEqualTo(inside);
    }

    @ParameterizedTest(name = "{0} refused")
    @CsvSource(delimiter = '|', value = {
        "yesterday",
        "..",
        "2025-06-02/2025-06-01",
        "2025-06-01/2025-06-02/2025-06-03",
        "2025-06-01T10:00:00",
        "0001-01-01/..",
    })
    void refusesWhatIsNotAnInstantOrInterval(String raw) {
        assertThatThrownBy(() -> TimeInterval.parse(raw)).isInstanceOfSatisfying(ProblemException.class, problem -> {
            assertThat(problem.type()).isEqualTo(ProblemType.INVALID_DATETIME);
            assertThat(problem.parameter()).isEqualTo("datetime");
        });
    }
}
