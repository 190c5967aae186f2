package org.soilobs.api.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
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

class SeriesRequestTest {

    private static final Instant NOW = Instant.parse("2025-06-15T10:20:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private static SeriesRequest parse(String query) {
        return SeriesRequest.parse(Queries.parse(query), CLOCK);
    }

    @Test
    void readsEveryParameter() {
        SeriesRequest request = parse("level=country&area=FRA&quantity=vwc&resolution=P1D"
                + "&from=2025-06-01T00:00:00Z&to=2025-06-08T00:00:00Z&format=csv");

        assertThat(request).isEqualTo(new SeriesRequest(Level.COUNTRY, "FRA", Quantity.VWC, Resolution.DAY,
                Instant.parse("2025-06-01T00:00:00Z"), Instant.parse("2025-06-08T00:00:00Z"),
                Optional.of(SeriesRequest.Format.CSV)));
    }

    @Test
    void defaultsToTheLastSevenDaysOfHourlyBuckets() {
        SeriesRequest request = parse("level=world&area=001&quantity=soc");

        assertThat(request.resolution()).isEqualTo(Resolution.HOUR);
        assertThat(request.to()).isEqualTo(NOW);
        assertThat(request.from()).isEqualTo(NOW.minus(Duration.ofDays(7)));
        assertThat(request.format()).isEmpty();
    }

    @Test
    void countsSevenDaysBackFromAGivenEnd() {
        assertThat(parse("level=country&area=FRA&quantity=soc&to=2025-01-10").from())
                .isEqualTo(Instant.parse("2025-01-03T00:00:00Z"));
    }

    @Test
    void acceptsOffsetsAndDates() {
        SeriesRequest request = parse("level=country&area=fra&quantity=soc&from=2025-06-01T02:00:00%2B02:00&to=2025-06-02");

        assertThat(request.area()).isEqualTo("FRA");
        assertThat(request.from()).isEqualTo(Instant.parse("2025-06-01T00:00:00Z"));
        assertThat(request.to()).isEqualTo(Instant.parse("2025-06-02T00:00:00Z"));
    }

    @Test
    void startsAtTheBucketThatHoldsFrom() {
        SeriesRequest request = parse("level=country&area=FRA&quantity=soc&from=2025-06-01T10:30:00Z&to=2025-06-02");

        assertThat(request.firstBucket()).isEqualTo(Instant.parse("2025-06-01T10:00:00Z"));
    }

    @Test
    void allowsTheLongestSpanOfEachResolution() {
        assertThat(parse("level=country&area=FRA&quantity=soc&from=2025-01-01&to=2025-02-01").resolution())
                .isEqualTo(Resolution.HOUR);
        assertThat(parse("level=country&area=FRA&quantity=soc&resolution=P1D&from=2015-01-01&to=2025-01-08").from())
                .isEqualTo(Instant.parse("2015-01-01T00:00:00Z"));
    }

    static Stream<Arguments> mistakes() {
        String base = "level=country&area=FRA&quantity=vwc";
        return Stream.of(
                Arguments.of("area=FRA&quantity=vwc", ProblemType.MISSING_PARAMETER, "level", "'level' is required"),
                Arguments.of("level=country&quantity=vwc", ProblemType.MISSING_PARAMETER, "area", "'area' is required"),
                Arguments.of("level=country&area=FRA", ProblemType.MISSING_PARAMETER, "quantity",
                        "'quantity' is required"),
                Arguments.of("level=continent&area=FRA&quantity=vwc", ProblemType.UNKNOWN_LEVEL, "level",
                        "Unknown level 'continent'"),
                Arguments.of("level=country&area=FRA&quantity=ph2", ProblemType.UNKNOWN_QUANTITY, "quantity",
                        "Unknown quantity 'ph2'"),
                Arguments.of(base + "&resolution=1h", ProblemType.UNKNOWN_RESOLUTION, "resolution",
                        "Unknown resolution '1h'"),
                Arguments.of(base + "&from=yesterday", ProblemType.INVALID_TIME, "from",
                        "'from' must be an ISO 8601 time with offset"),
                Arguments.of(base + "&to=2025-06-01T10:00:00", ProblemType.INVALID_TIME, "to",
                        "'to' must be an ISO 8601 time with offset"),
                Arguments.of(base + "&from=2025-06-01T10:00:00+02:00", ProblemType.INVALID_TIME, "from",
                        "write the offset as %2B02:00"),
                Arguments.of(base + "&from=2025-02-30", ProblemType.INVALID_TIME, "from", "was '2025-02-30'"),
                Arguments.of(base + "&from=1850-01-01&to=1850-01-02", ProblemType.INVALID_TIME, "from",
                        "must lie between 1900-01-01T00:00:00Z and 9999-12-31T23:59:59Z"),
                Arguments.of(base + "&from=2025-06-02&to=2025-06-01", ProblemType.INVALID_TIME_RANGE, "from",
                        "'from' (2025-06-02T00:00:00Z) is after 'to' (2025-06-01T00:00:00Z)"),
                Arguments.of(base + "&from=2025-07-01", ProblemType.INVALID_TIME_RANGE, "from",
                        "which defaults to now"),
                Arguments.of(base + "&from=2025-01-01&to=2025-02-01T01:00:00Z", ProblemType.SPAN_TOO_LARGE, "from",
                        "A PT1H series spans at most 31 days; from 2025-01-01T00:00:00Z to 2025-02-01T01:00:00Z is "
                                + "31 days 1 hours. Ask for several shorter ranges or for resolution=P1D."),
                Arguments.of(base + "&resolution=P1D&from=2015-01-01&to=2025-01-09", ProblemType.SPAN_TOO_LARGE,
                        "from", "A P1D series spans at most 3660 days"),
                Arguments.of(base + "&to=2025-06-01&from=2025-01-01", ProblemType.SPAN_TOO_LARGE, "from",
                        "spans at most 31 days"),
                Arguments.of(base + "&format=xlsx", ProblemType.UNKNOWN_FORMAT, "format",
                        "Unknown format 'xlsx'; use json or csv"),
                Arguments.of(base + "&form=2025-01-01", ProblemType.UNKNOWN_PARAMETER, "form",
                        "Unknown query parameter 'form'; this resource takes area, format, from, level, quantity, "
                                + "resolution, to"),
                Arguments.of(base + "&area=DEU", ProblemType.REPEATED_PARAMETER, "area", "'area' is given 2 times"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("mistakes")
    void refusesAMistakeWithItsReason(String query, ProblemType type, String parameter, String detail) {
        assertThatThrownBy(() -> parse(query))
                .isInstanceOfSatisfying(ProblemException.class, problem -> {
                    assertThat(problem.type()).isEqualTo(type);
                    assertThat(problem.type().status()).isEqualTo(400);
                    assertThat(problem.parameter()).isEqualTo(parameter);
                    assertThat(problem.detail()).contains(detail);
                });
    }

    @Test
    void shortensAnEchoedValue() {
        String huge = "x".repeat(5000);

        assertThatThrownBy(() -> parse("level=country&area=FRA&quantity=" + huge))
                .isInstanceOfSatisfying(ProblemException.class,
                        problem -> assertThat(problem.detail()).hasSizeLessThan(300));
    }
}
