package org.soilobs.api.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.soilobs.api.ApiFixture.progress;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.soilobs.api.ApiFixture;
import org.soilobs.api.ObservatoryApi;
import org.soilobs.model.Json;

/** {@code GET /api/v1/progress} against a real PostgreSQL with the V4 schema, rows written as the sink does. */
class ProgressRoutesIT {

    private static final String SCHEMA = "progress_it";
    private static final Instant AS_OF = Instant.parse("2026-11-22T00:00:00Z");

    @RegisterExtension
    static final ApiFixture FIXTURE = new ApiFixture(SCHEMA, 2);

    private static ObservatoryApi api;

    @BeforeAll
    static void startApiOnAMigratedDatabase() throws SQLException {
        FIXTURE.seed(connection -> {
            // France: 2 of 3 fields with a trend, ΔT = 6.24 t/yr over T0 = 1200 t → 0.0052
            progress(connection, "country", "FRA", "not_on_track", 0.0052, 0.0031, 0.0074, 1500, 1200, 6.24, 1, 25, 3,
                    2, new int[] {1, 1, 0, 1}, AS_OF);
            progress(connection, "country", "DEU", "losing", -0.002, -0.003, -0.001, 900, 1000, -2, 1, 20, 2, 2,
                    new int[] {0, 0, 2, 0}, AS_OF.minus(Duration.ofDays(1)));
            progress(connection, "country", "KEN", "insufficient_data", null, null, null, 300, 0, 0, 1, 10, 1, 0,
                    new int[] {0, 0, 0, 1}, AS_OF);
            progress(connection, "country", "ESP", "on_track", 0.009, 0.006, 0.012, 800, 700, 6.3, 1, 12, 1, 1,
                    new int[] {1, 0, 0, 0}, AS_OF);
            progress(connection, "field", "f-fra-0001", "on_track", 0.009, 0.006, 0.012, 800, 700, 6.3, 1, 12, 1, 1,
                    new int[] {1, 0, 0, 0}, AS_OF);
        });
        api = FIXTURE.start(FIXTURE.config(2));
    }

    private static HttpResponse<String> get(String pathAndQuery, String... headers) throws IOException,
            InterruptedException {
        return ApiFixture.get(api, pathAndQuery, headers);
    }

    @Test
    void ranksCountriesByRateWithTheContractsFields() throws Exception {
        HttpResponse<String> response = get("/api/v1/progress");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(response.headers().firstValue("ETag")).hasValueSatisfying(tag -> assertThat(tag).matches("\"progress-[0-9a-f]{24}\""));
        JsonNode body = Json.mapper().readTree(response.body());
        assertThat(body.get("level").asText()).isEqualTo("country");
        assertThat(body.get("target_rate").asDouble()).isEqualTo(0.004);
        assertThat(body.get("as_of").asText()).isEqualTo("2026-11-22T00:00:00Z");
        List<String> order = new ArrayList<>();
        body.get("areas").forEach(area -> order.add(area.get("code").asText()));
        assertThat(order).containsExactly("ESP", "FRA", "DEU", "KEN");

        JsonNode france = body.get("areas").get(1);
        assertThat(france.get("name").asText()).isEqualTo("France");
        assertThat(france.get("level").asText()).isEqualTo("country");
        assertThat(france.get("rate").asDouble()).isEqualTo(0.0052);
        assertThat(france.get("rate_low").asDouble()).isEqualTo(0.0031);
        assertThat(france.get("rate_high").asDouble()).isEqualTo(0.0074);
        assertThat(france.get("status").asText()).isEqualTo("not_on_track");
        assertThat(france.get("stock_t").asDouble()).isEqualTo(1500.0);
        assertThat(france.get("baseline_stock_t").asDouble()).isEqualTo(1200.0);
        assertThat(france.get("delta_t_per_year").asDouble()).isEqualTo(6.24);
        assertThat(france.get("stock_density_t_ha").asDouble()).isEqualTo(60.0);
        assertThat(france.get("area_ha").asDouble()).isEqualTo(25.0);
        assertThat(france.get("fields").asInt()).isEqualTo(3);
        assertThat(france.get("fields_with_trend").asInt()).isEqualTo(2);
        assertThat(france.get("fields_by_status").toString())
                .isEqualTo("{\"on_track\":1,\"not_on_track\":1,\"losing\":0,\"insufficient_data\":1}");
        assertThat(france.get("coverage").asDouble()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(france.has("as_of")).isFalse();

        JsonNode kenya = body.get("areas").get(3);
        assertThat(kenya.get("rate").isNull()).isTrue();
        assertThat(kenya.get("rate_low").isNull()).isTrue();
        assertThat(kenya.get("status").asText()).isEqualTo("insufficient_data");
    }

    @Test
    void answersOneAreaAndAFieldInTheSameShape() throws Exception {
        JsonNode spain = Json.mapper().readTree(get("/api/v1/progress?level=country&area=esp").body());
        assertThat(spain.get("areas")).hasSize(1);
        assertThat(spain.get("areas").get(0).get("code").asText()).isEqualTo("ESP");

        JsonNode field = Json.mapper().readTree(get("/api/v1/progress?level=field&area=f-fra-0001").body());
        assertThat(field.get("level").asText()).isEqualTo("field");
        JsonNode entry = field.get("areas").get(0);
        assertThat(entry.get("code").asText()).isEqualTo("f-fra-0001");
        assertThat(entry.get("name").asText()).isEqualTo("f-fra-0001");
        assertThat(entry.get("fields").asInt()).isEqualTo(1);

        JsonNode regions = Json.mapper().readTree(get("/api/v1/progress?level=region").body());
        assertThat(regions.get("areas")).isEmpty();
        assertThat(regions.get("as_of").isNull()).isTrue();
    }

    @Test
    void revalidatesWithItsStrongEntityTag() throws Exception {
        HttpResponse<String> first = get("/api/v1/progress?level=country");
        String etag = first.headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> again = get("/api/v1/progress?level=country", "If-None-Match", etag);

        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(again.headers().firstValue("ETag")).hasValue(etag);
        HttpResponse<String> other = get("/api/v1/progress?level=field", "If-None-Match", etag);
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.headers().firstValue("ETag")).isNotEqualTo(first.headers().firstValue("ETag"));
    }

    @ParameterizedTest(name = "{0} → {1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
            /api/v1/progress?level=continent               | 400 | unknown-level
            /api/v1/progress?level=country&quantity=soc    | 400 | unknown-parameter
            /api/v1/progress?level=country&area=XXX        | 404 | unknown-area
            /api/v1/progress?level=region&area=999         | 404 | unknown-area
            /api/v1/progress?level=country&area=ITA        | 404 | not-found
            /api/v1/progress?level=field&area=f-nowhere    | 404 | not-found
            """)
    void answersBadRequestsWithProblems(String pathAndQuery, int status, String type) throws Exception {
        HttpResponse<String> response = get(pathAndQuery);

        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                contentType -> assertThat(contentType).startsWith("application/problem+json"));
        JsonNode problem = Json.mapper().readTree(response.body());
        assertThat(problem.get("type").asText()).endsWith(type);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("detail").asText()).isNotBlank();
    }
}
