package org.soilobs.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.soilobs.model.Json;

/**
 * Bulk exports (aggregates as CSV, NDJSON and GeoJSON; a field's readings as CSV and NDJSON) with their
 * span and row limits, and layers at a chosen bucket with the bucket range the map's slider spans, on a
 * real PostgreSQL (schema {@code export_it}).
 */
class ExportAndTimeIT {

    private static final String SCHEMA = "export_it";
    private static final Instant T0 = Instant.parse("2025-06-01T10:00:00Z");
    private static final Instant T1 = Instant.parse("2025-06-01T11:00:00Z");

    @RegisterExtension
    static final ApiFixture FIXTURE = new ApiFixture(SCHEMA, 4);

    private static ObservatoryApi api;
    private static ObservatoryApi small;

    @BeforeAll
    static void start() throws SQLException {
        FIXTURE.seed(connection -> {
            ApiFixture.field(connection, "F-FR-1", 2.35, 48.85, 10, "FRA", "155", "150");
            aggregate(connection, "country", "FRA", T0, 0.30);
            aggregate(connection, "country", "FRA", T1, 0.20);
            aggregate(connection, "country", "DEU", T0, 0.12);
            aggregate(connection, "field", "F-FR-1", T1, 0.25);
            reading(connection, T0.plusSeconds(60), "vwc", 0.31, "{G}");
            reading(connection, T0.plusSeconds(60), "ph", 6.5, "{G}");
            reading(connection, T0.plusSeconds(120), "vwc", 0.9, "{C02,\"x,y\"}");
        });
        api = FIXTURE.start(FIXTURE.config(4));
        small = FIXTURE.start(FIXTURE.config(2).withExportLimits(2, 7));
    }

    /** One hourly vwc bucket of two readings, both {@code value}. */
    private static void aggregate(Connection connection, String level, String area, Instant bucket, double value)
            throws SQLException {
        ApiFixture.uniformAggregate(connection, level, area, "vwc", "PT1H", bucket, 2, value);
    }

    private static void reading(Connection connection, Instant time, String quantity, double value, String flags)
            throws SQLException {
        ApiFixture.reading(connection, "F-FR-1", "S-1", quantity, time, value, flags, "gw-1", 7, time.plusSeconds(1));
    }

    private static HttpResponse<String> get(ObservatoryApi server, String pathAndQuery) throws IOException,
            InterruptedException {
        return ApiFixture.get(server, pathAndQuery);
    }

    private static final String RANGE = "&from=2025-06-01T00:00:00Z&to=2025-06-02T00:00:00Z";

    // ---- exports ---------------------------------------------------------------------------------------

    @Test
    void exportsEveryBucketOfALevelAsCsv() throws Exception {
        HttpResponse<String> response = get(api, "/api/v1/export/aggregates?level=country&quantity=vwc" + RANGE);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("text/csv"));
        assertThat(response.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"aggregates-country-vwc-PT1H.csv\"");
        String[] lines = response.body().split("\r\n");
        assertThat(lines[0]).isEqualTo("level,area,name,quantity,unit,resolution,bucket,count,mean,value,min,max,"
                + "stddev,members,area_ha,flagged,flags");
        assertThat(lines).hasSize(4);
        // The deviation of two equal readings is zero up to rounding: not compared.
        assertThat(lines[1]).startsWith("country,DEU,Germany,vwc,m3/m3,PT1H,2025-06-01T10:00:00Z,2,0.12,0.12,0.12,0.12,")
                .endsWith(",1,10.0,2,G=2");
        assertThat(lines[2]).startsWith("country,FRA,France,vwc,m3/m3,PT1H,2025-06-01T10:00:00Z,2,0.3,0.3,0.3,0.3,")
                .endsWith(",1,10.0,2,G=2");
        assertThat(lines[3]).startsWith("country,FRA,France,vwc,m3/m3,PT1H,2025-06-01T11:00:00Z,2,0.2,0.2,0.2,0.2,")
                .endsWith(",1,10.0,2,G=2");
    }

    @Test
    void exportsOneAreaAsNdjsonAndGeoJson() throws Exception {
        HttpResponse<String> ndjson = get(api,
                "/api/v1/export/aggregates?level=country&area=fra&quantity=vwc&format=ndjson" + RANGE);
        HttpResponse<String> geojson = get(api,
                "/api/v1/export/aggregates?level=field&area=F-FR-1&quantity=vwc&format=geojson" + RANGE);

        assertThat(ndjson.statusCode()).isEqualTo(200);
        assertThat(ndjson.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
        String[] lines = ndjson.body().split("\n");
        assertThat(lines).hasSize(2);
        assertThat(ndjson.body()).endsWith("\n");
        JsonNode first = Json.mapper().readTree(lines[0]);
        assertThat(first.path("area").asText()).isEqualTo("FRA");
        assertThat(first.path("bucket").asText()).isEqualTo(T0.toString());
        assertThat(first.path("value").asDouble()).isEqualTo(0.3);
        assertThat(Json.mapper().readTree(lines[1]).path("value").asDouble()).isEqualTo(0.2);

        assertThat(geojson.statusCode()).isEqualTo(200);
        JsonNode collection = Json.mapper().readTree(geojson.body());
        assertThat(collection.path("type").asText()).isEqualTo("FeatureCollection");
        JsonNode feature = collection.path("features").get(0);
        assertThat(feature.path("geometry").path("coordinates").toString()).isEqualTo("[2.35,48.85]");
        assertThat(feature.path("properties").path("value").asDouble()).isEqualTo(0.25);
        assertThat(collection.path("features")).hasSize(1);
    }

    @Test
    void exportsTheReadingsOfAFieldQuotingWhatNeedsIt() throws Exception {
        HttpResponse<String> csv = get(api, "/api/v1/export/readings?field=F-FR-1" + RANGE);
        HttpResponse<String> ph = get(api, "/api/v1/export/readings?field=F-FR-1&quantity=ph&format=ndjson" + RANGE);

        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.body().split("\r\n")).containsExactly(
                "time,sensor,quantity,unit,value,field,country,depth_top_cm,depth_bottom_cm,flags,gateway,seq,"
                        + "received_at",
                "2025-06-01T10:01:00Z,S-1,ph,[pH],6.5,F-FR-1,FRA,0,30,G,gw-1,7,2025-06-01T10:01:01Z",
                "2025-06-01T10:01:00Z,S-1,vwc,m3/m3,0.31,F-FR-1,FRA,0,30,G,gw-1,7,2025-06-01T10:01:01Z",
                "2025-06-01T10:02:00Z,S-1,vwc,m3/m3,0.9,F-FR-1,FRA,0,30,\"C02;x,y\",gw-1,7,2025-06-01T10:02:01Z");
        assertThat(ph.statusCode()).isEqualTo(200);
        JsonNode line = Json.mapper().readTree(ph.body().trim());
        assertThat(line.path("quantity").asText()).isEqualTo("ph");
        assertThat(line.path("flags").toString()).isEqualTo("[\"G\"]");
    }

    @Test
    void compressesTheStreamWhenAskedAndEndsIt() throws Exception {
        String path = "/api/v1/export/aggregates?level=country&quantity=vwc&format=geojson" + RANGE;
        HttpResponse<byte[]> gzip = ApiFixture.HTTP.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + path))
                .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(gzip.statusCode()).isEqualTo(200);
        assertThat(gzip.headers().firstValue("Content-Encoding")).hasValue("gzip");
        byte[] plain;
        try (GZIPInputStream in = new GZIPInputStream(
                new ByteArrayInputStream(gzip.body()))) {
            plain = in.readAllBytes();
        }
        assertThat(new String(plain, StandardCharsets.UTF_8)).isEqualTo(get(api, path).body());
    }

    @Test
    void anEmptyRangeIsAHeaderAlone() throws Exception {
        HttpResponse<String> response = get(api, "/api/v1/export/aggregates?level=region&quantity=vwc" + RANGE);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body().split("\r\n")).hasSize(1);
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of(false, "/api/v1/export/aggregates?quantity=vwc", 400, "missing-parameter"),
                Arguments.of(false, "/api/v1/export/aggregates?level=country&quantity=vwc&format=xlsx", 400,
                        "unknown-format"),
                Arguments.of(false, "/api/v1/export/readings?field=F-FR-1&format=geojson", 400, "unknown-format"),
                Arguments.of(false, "/api/v1/export/aggregates?level=country&quantity=vwc&limit=5", 400,
                        "unknown-parameter"),
                Arguments.of(false, "/api/v1/export/aggregates?level=country&area=XXX&quantity=vwc", 404,
                        "unknown-area"),
                Arguments.of(false, "/api/v1/export/aggregates?level=field&area=nope&quantity=vwc", 404,
                        "unknown-area"),
                Arguments.of(false, "/api/v1/export/readings?field=nope", 404, "unknown-area"),
                Arguments.of(false, "/api/v1/export/readings?field=F-FR-1&from=2025-06-02&to=2025-06-01", 400,
                        "invalid-time-range"),
                Arguments.of(false, "/api/v1/export/aggregates?level=country&quantity=vwc&from=2020-01-01"
                        + "&to=2025-01-01", 400, "span-too-large"),
                Arguments.of(true, "/api/v1/export/aggregates?level=country&quantity=vwc&from=2025-05-01"
                        + "&to=2025-05-10", 400, "span-too-large"),
                Arguments.of(true, "/api/v1/export/aggregates?level=country&quantity=vwc" + RANGE, 400,
                        "export-too-large"),
                Arguments.of(true, "/api/v1/export/readings?field=F-FR-1" + RANGE, 400, "export-too-large"));
    }

    @ParameterizedTest(name = "{1} -> {2} {3}")
    @MethodSource("refusals")
    void refusesWithAProblemBeforeTheFirstByte(boolean smallLimits, String pathAndQuery, int status, String type)
            throws Exception {
        HttpResponse<String> response = get(smallLimits ? small : api, pathAndQuery);

        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(Json.mapper().readTree(response.body()).path("type").asText()).isEqualTo("/problems/" + type);
    }

    @Test
    void aDailyExportMaySpanTenTimesAsLong() throws Exception {
        HttpResponse<String> response = get(small,
                "/api/v1/export/aggregates?level=region&quantity=vwc&resolution=P1D&from=2025-05-01&to=2025-06-10");

        assertThat(response.statusCode()).isEqualTo(200);
    }

    // ---- layers at a bucket, and the slider's range ------------------------------------------------------

    @Test
    void drawsALayerAtTheBucketThatHoldsTheTimeAsked() throws Exception {
        HttpResponse<String> latest = get(api, "/api/v1/layers/country?quantity=vwc");
        HttpResponse<String> earlier = get(api, "/api/v1/layers/country?quantity=vwc&time=2025-06-01T10:59:59Z");
        HttpResponse<String> field = get(api, "/api/v1/layers/field?quantity=vwc&time=2025-06-01T10:00:00Z");

        assertThat(value(latest, "FRA")).isEqualTo(0.2);
        assertThat(value(earlier, "FRA")).isEqualTo(0.3);
        assertThat(value(earlier, "DEU")).isEqualTo(0.12);
        assertThat(earlier.headers().firstValue("ETag").orElseThrow()).contains(".t" + T0.getEpochSecond() + ".")
                .isNotEqualTo(latest.headers().firstValue("ETag").orElseThrow());
        assertThat(feature(field, "F-FR-1").path("properties").path("value").isNull()).isTrue();
        HttpResponse<String> again = ApiFixture.HTTP.send(HttpRequest.newBuilder(URI.create(api.baseUrl()
                + "/api/v1/layers/country?quantity=vwc&time=2025-06-01T10:00:00Z"))
                .header("If-None-Match", earlier.headers().firstValue("ETag").orElseThrow()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(304);
    }

    @Test
    void tellsTheFirstAndLastBucketOfALayer() throws Exception {
        JsonNode range = Json.mapper().readTree(get(api, "/api/v1/layers/country/buckets?quantity=vwc").body());
        HttpResponse<String> none = get(api, "/api/v1/layers/region/buckets?quantity=ph&resolution=P1D");
        HttpResponse<String> unknown = get(api, "/api/v1/layers/county/buckets?quantity=vwc");

        assertThat(range.path("first").asText()).isEqualTo(T0.toString());
        assertThat(range.path("last").asText()).isEqualTo(T1.toString());
        assertThat(range.path("resolution").asText()).isEqualTo("PT1H");
        assertThat(none.statusCode()).isEqualTo(200);
        assertThat(Json.mapper().readTree(none.body()).path("last").isMissingNode()
                || Json.mapper().readTree(none.body()).path("last").isNull()).isTrue();
        assertThat(unknown.statusCode()).isEqualTo(404);
    }

    @Test
    void refusesATimeThatIsNotOne() throws Exception {
        HttpResponse<String> response = get(api, "/api/v1/layers/country?quantity=vwc&time=yesterday");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Json.mapper().readTree(response.body()).path("parameter").asText()).isEqualTo("time");
    }

    private static double value(HttpResponse<String> layer, String id) throws IOException {
        return feature(layer, id).path("properties").path("value").asDouble();
    }

    private static JsonNode feature(HttpResponse<String> layer, String id) throws IOException {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode feature : Json.mapper().readTree(layer.body()).path("features")) {
            if (feature.path("id").asText().equals(id)) {
                found.add(feature);
            }
        }
        assertThat(found).hasSize(1);
        return found.get(0);
    }
}
