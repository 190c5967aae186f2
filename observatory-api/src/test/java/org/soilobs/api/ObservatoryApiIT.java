package org.soilobs.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.soilobs.api.ApiFixture.aggregate;
import static org.soilobs.api.ApiFixture.field;
import static org.soilobs.api.ApiFixture.json;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.LoggerFactory;
import org.soilobs.model.Json;
import org.soilobs.reference.ReferenceData;
import org.soilobs.storage.Database;
import org.soilobs.storage.DbConfig;
import org.soilobs.testkit.FreePorts;
import org.soilobs.testkit.SharedInfra;

/**
 * The API against a real PostgreSQL: the schema migrated by Flyway, fields and aggregates written with
 * plain SQL as the sink would, every route asked over HTTP. The tables live in a schema of their own, so
 * that other tests sharing the server cannot disturb them.
 */
class ObservatoryApiIT {

    private static final String SCHEMA = "api_it";
    private static final String CORS_ORIGIN = "https://maps.example.org";
    private static final Instant T0 = Instant.parse("2025-06-01T10:00:00Z");
    private static final Instant T1 = Instant.parse("2025-06-01T11:00:00Z");
    private static final Instant DAY = Instant.parse("2025-06-01T00:00:00Z");
    private static final String FRA_SERIES = "/api/v1/series?level=country&area=FRA&quantity=vwc&resolution=PT1H"
            + "&from=2025-06-01T10:30:00Z&to=2025-06-01T12:00:00Z";

    private static final ReferenceData REFERENCE = ApiFixture.reference();
    private static final HttpClient HTTP = ApiFixture.HTTP;
    private static final ListAppender<ILoggingEvent> LOG = new ListAppender<>();

    @RegisterExtension
    static final ApiFixture FIXTURE = new ApiFixture(SCHEMA, 4);

    private static ObservatoryApi api;

    @BeforeAll
    static void startApiOnAMigratedDatabase() throws SQLException {
        FIXTURE.seed(ObservatoryApiIT::insertFixtures);

        LOG.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(LOG);
        api = FIXTURE.start(FIXTURE.config(4));
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(LOG);
    }

    private static void insertFixtures(Connection connection) throws SQLException {
        field(connection, "F-FR-1", 2.35, 48.85, 10, "FRA", "155", "150");
        field(connection, "F-FR-2", 4.84, 45.76, 30, "FRA", "155", "150");
        field(connection, "F-KE-1", 36.82, -1.29, 5, "KEN", "014", "002");
        // Two hours of France, the latest one different; one earlier hour of Germany.
        aggregate(connection, "country", "FRA", "vwc", "PT1H", T0, 4, 1.2, 0.4, 0.2, 0.4, 40, 14, 2,
                "{\"G\": 4, \"D06\": 1}");
        aggregate(connection, "country", "FRA", "vwc", "PT1H", T1, 2, 0.5, 0.13, 0.2, 0.3, 10, 3.0, 1,
                "{\"G\": 2}");
        aggregate(connection, "country", "DEU", "vwc", "PT1H", T0, 3, 0.9, 0.29, 0.2, 0.4, 5, 1.75, 1,
                "{\"G\": 3}");
        // Other quantities and resolutions must not leak into the vwc hourly layer.
        aggregate(connection, "country", "ESP", "soc", "PT1H", T1, 1, 20, 400, 20.0, 20.0, 10, 200, 1, "{\"G\": 1}");
        aggregate(connection, "country", "ITA", "vwc", "P1D", DAY, 6, 1.8, 0.6, 0.2, 0.4, 12, 3.6, 1,
                "{\"G\": 6}");
        aggregate(connection, "subregion", "155", "vwc", "PT1H", T1, 2, 0.5, 0.13, 0.2, 0.3, 20, 4, 1,
                "{\"G\": 2}");
        aggregate(connection, "field", "F-FR-1", "vwc", "PT1H", T1, 2, 0.5, 0.13, 0.2, 0.3, 10, 4.0, 1,
                "{\"G\": 2, \"C02\": 1}");
        // Portugal's newest pH bucket holds only flagged readings: the layer keeps the last good one.
        aggregate(connection, "country", "PRT", "ph", "PT1H", T0, 1, 6.5, 42.25, 6.5, 6.5, 5, 32.5, 1,
                "{\"G\": 1}");
        aggregate(connection, "country", "PRT", "ph", "PT1H", T1, 0, 0, 0, null, null, 0, 0, 1,
                "{\"D06\": 2}");
        // A row that breaks the statistics' invariants (a good reading, yet no maximum): a server fault.
        aggregate(connection, "region", "142", "ec", "PT1H", T0, 1, 1.0, 1.0, 1.0, null, 0, 0, 1, "{}");
    }

    // ---- HTTP helpers ---------------------------------------------------------------------------------

    private static HttpResponse<String> get(String pathAndQuery, String... headers) throws IOException,
            InterruptedException {
        return ApiFixture.get(api, pathAndQuery, headers);
    }

    /** Asks again until the status comes (a background refresh is under way), for at most 30 s. */
    private static HttpResponse<String> awaitStatus(int status, String pathAndQuery, String... headers)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        HttpResponse<String> response = get(pathAndQuery, headers);
        while (response.statusCode() != status && System.nanoTime() < deadline) {
            Thread.sleep(50);
            response = get(pathAndQuery, headers);
        }
        return response;
    }

    private static HttpResponse<String> send(ObservatoryApi server, String pathAndQuery, String... headers)
            throws IOException, InterruptedException {
        return ApiFixture.get(server, pathAndQuery, headers);
    }

    private static JsonNode feature(JsonNode collection, String id) {
        for (JsonNode feature : collection.path("features")) {
            if (feature.path("id").asText().equals(id)) {
                return feature;
            }
        }
        throw new AssertionError("no feature " + id);
    }

    // ---- layers ---------------------------------------------------------------------------------------

    @Test
    void drawsEveryCountryWithTheLatestBucketOfThoseWithData() throws Exception {
        HttpResponse<String> response = get("/api/v1/layers/country?quantity=vwc");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/geo+json"));
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(response.headers().firstValue("ETag")).hasValueSatisfying(tag -> assertThat(tag).matches("\".+\""));
        JsonNode collection = json(response);
        assertThat(collection.path("type").asText()).isEqualTo("FeatureCollection");
        assertThat(collection.path("features")).hasSize(REFERENCE.areas(org.soilobs.model.Level.COUNTRY).size());
        for (JsonNode feature : collection.path("features")) {
            assertThat(feature.path("type").asText()).isEqualTo("Feature");
            assertThat(feature.path("geometry").path("type").asText()).as(feature.path("id").asText())
                    .isIn("Polygon", "MultiPolygon");
            assertThat(feature.path("geometry").path("coordinates").isArray()).isTrue();
        }

        JsonNode france = feature(collection, "FRA").path("properties");
        assertThat(france.path("name").asText()).isEqualTo("France");
        assertThat(france.path("level").asText()).isEqualTo("country");
        assertThat(france.path("quantity").asText()).isEqualTo("vwc");
        assertThat(france.path("unit").asText()).isEqualTo("m3/m3");
        assertThat(france.path("resolution").asText()).isEqualTo("PT1H");
        assertThat(france.path("bucket").asText()).isEqualTo("2025-06-01T11:00:00Z");
        assertThat(france.path("value").asDouble()).isEqualTo(0.3);
        assertThat(france.path("mean").asDouble()).isEqualTo(0.25);
        assertThat(france.path("count").asLong()).isEqualTo(2);
        assertThat(france.path("min").asDouble()).isEqualTo(0.2);
        assertThat(france.path("max").asDouble()).isEqualTo(0.3);
        assertThat(france.path("members").asInt()).isEqualTo(1);
        assertThat(france.path("area_ha").asDouble()).isEqualTo(10);
        assertThat(france.path("flags")).isEqualTo(Json.mapper().readTree("{\"G\":2}"));
        assertThat(france.path("flagged").asLong()).isEqualTo(2);

        JsonNode germany = feature(collection, "DEU").path("properties");
        assertThat(germany.path("bucket").asText()).isEqualTo("2025-06-01T10:00:00Z");
        assertThat(germany.path("value").asDouble()).isEqualTo(0.35);
        assertThat(germany.path("mean").asDouble()).isEqualTo(0.3, offset(1e-12));

        for (String withoutData : List.of("KEN", "ESP", "ITA", "BRA")) {
            JsonNode p = feature(collection, withoutData).path("properties");
            assertThat(p.path("name").asText()).isNotBlank();
            assertThat(p.path("value").isNull()).as(withoutData).isTrue();
            assertThat(p.path("bucket").isNull()).as(withoutData).isTrue();
            assertThat(p.path("count").isNull()).as(withoutData).isTrue();
            assertThat(p.path("flags").isNull()).as(withoutData).isTrue();
        }
    }

    @Test
    void readsTheLayerOfTheAskedResolution() throws Exception {
        JsonNode collection = json(get("/api/v1/layers/country?quantity=vwc&resolution=P1D"));

        assertThat(feature(collection, "ITA").path("properties").path("value").asDouble()).isEqualTo(0.3);
        assertThat(feature(collection, "ITA").path("properties").path("resolution").asText()).isEqualTo("P1D");
        assertThat(feature(collection, "FRA").path("properties").path("value").isNull()).isTrue();
    }

    @Test
    void drawsSubregionsFromTheReferenceData() throws Exception {
        JsonNode collection = json(get("/api/v1/layers/subregion?quantity=vwc"));

        assertThat(collection.path("features")).hasSize(REFERENCE.areas(org.soilobs.model.Level.SUBREGION).size());
        JsonNode westernEurope = feature(collection, "155");
        assertThat(westernEurope.path("geometry").path("type").asText()).isIn("Polygon", "MultiPolygon");
        assertThat(westernEurope.path("properties").path("value").asDouble()).isEqualTo(0.2);
    }

    @Test
    void drawsEveryRegisteredFieldAsAPointWithItsPlainMean() throws Exception {
        JsonNode collection = json(get("/api/v1/layers/field?quantity=vwc"));

        assertThat(collection.path("features")).extracting(feature -> feature.path("id").asText())
                .containsExactly("F-FR-1", "F-FR-2", "F-KE-1");
        JsonNode field = feature(collection, "F-FR-1");
        assertThat(field.path("geometry").path("type").asText()).isEqualTo("Point");
        assertThat(field.path("geometry").path("coordinates").get(0).asDouble()).isEqualTo(2.35);
        assertThat(field.path("geometry").path("coordinates").get(1).asDouble()).isEqualTo(48.85);
        JsonNode p = field.path("properties");
        assertThat(p.path("country").asText()).isEqualTo("FRA");
        assertThat(p.path("value").asDouble()).isEqualTo(0.25);
        assertThat(p.path("flags").path("C02").asLong()).isEqualTo(1);
        assertThat(p.path("flagged").asLong()).isEqualTo(3);
        assertThat(feature(collection, "F-KE-1").path("properties").path("value").isNull()).isTrue();
    }

    @Test
    void answersAnUnchangedLayer304AndAChangedOneWithANewTag() throws Exception {
        HttpResponse<String> first = get("/api/v1/layers/region?quantity=vwc");
        String tag = first.headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> unchanged = get("/api/v1/layers/region?quantity=vwc", "If-None-Match", tag);
        assertThat(unchanged.statusCode()).isEqualTo(304);
        assertThat(unchanged.body()).isEmpty();
        assertThat(unchanged.headers().firstValue("ETag")).hasValue(tag);
        assertThat(unchanged.headers().firstValue("Cache-Control")).hasValue("no-cache");

        HttpResponse<String> otherQuantity = get("/api/v1/layers/region?quantity=soc", "If-None-Match", tag);
        assertThat(otherQuantity.statusCode()).isEqualTo(200);

        try (Connection connection = FIXTURE.pool().getConnection();
                Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE layer_version SET version = version + 1 WHERE level = 'region'");
        }
        // The API learns of the new version from its background reader, within a fraction of a second.
        HttpResponse<String> changed = awaitStatus(200, "/api/v1/layers/region?quantity=vwc", "If-None-Match", tag);
        String newTag = changed.headers().firstValue("ETag").orElseThrow();
        assertThat(newTag).isNotEqualTo(tag);
        assertThat(json(changed).path("features").size()).isPositive();
        assertThat(get("/api/v1/layers/region?quantity=vwc", "If-None-Match", newTag).statusCode()).isEqualTo(304);
    }

    @Test
    void answersAPollFromMemoryEvenWhenTheDatabaseIsGone() throws Exception {
        HikariDataSource own = Database.pool(FIXTURE.db(), "observatory-api-it-memory", 1);
        try (ObservatoryApi server = ObservatoryApi.start(FIXTURE.config(1), own, REFERENCE)) {
            HttpResponse<String> first = send(server, "/api/v1/layers/country?quantity=vwc", "Accept", "*/*");
            assertThat(first.statusCode()).isEqualTo(200);
            String tag = first.headers().firstValue("ETag").orElseThrow();

            own.close();

            for (int i = 0; i < 20; i++) {
                HttpResponse<String> poll = send(server, "/api/v1/layers/country?quantity=vwc", "If-None-Match", tag);
                assertThat(poll.statusCode()).isEqualTo(304);
                assertThat(poll.headers().firstValue("ETag")).hasValue(tag);
            }
        } finally {
            own.close();
        }
    }

    @Test
    void servesALayerGzippedUnderATagOfItsOwnAndRevalidatesIt() throws Exception {
        HttpResponse<String> plain = get("/api/v1/layers/country?quantity=vwc");
        HttpResponse<byte[]> gzipped = HTTP.send(HttpRequest.newBuilder(
                URI.create(api.baseUrl() + "/api/v1/layers/country?quantity=vwc"))
                .header("Accept-Encoding", "br;q=1.0, gzip;q=0.8").build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(gzipped.statusCode()).isEqualTo(200);
        assertThat(gzipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(gzipped.headers().firstValue("Vary")).hasValueSatisfying(
                vary -> assertThat(vary).containsIgnoringCase("Accept-Encoding"));
        String plainTag = plain.headers().firstValue("ETag").orElseThrow();
        String gzipTag = gzipped.headers().firstValue("ETag").orElseThrow();
        assertThat(gzipTag).isEqualTo(plainTag.substring(0, plainTag.length() - 1) + ".gz\"");
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped.body()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(plain.body());
        }
        assertThat(get("/api/v1/layers/country?quantity=vwc", "Accept-Encoding", "gzip", "If-None-Match", gzipTag)
                .statusCode()).isEqualTo(304);
        assertThat(get("/api/v1/layers/country?quantity=vwc", "If-None-Match", gzipTag).statusCode()).isEqualTo(200);
    }

    @Test
    void tellsLiveClientsWhichLayerChanged() throws Exception {
        HttpResponse<Stream<String>> stream = HTTP.send(HttpRequest.newBuilder(URI.create(api.baseUrl()
                + "/api/v1/live")).header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        long before = json(get("/api/v1/layers/subregion?quantity=vwc")).path("version").asLong();
        Iterator<String> lines = stream.body().iterator();
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            Future<String> versions = reader.submit(() -> dataOf(lines, "versions"));
            assertThat(Json.mapper().readTree(versions.get(30, TimeUnit.SECONDS)).path("subregion").asLong())
                    .isEqualTo(before);

            try (Connection connection = FIXTURE.pool().getConnection();
                Statement statement = connection.createStatement()) {
                statement.executeUpdate("UPDATE layer_version SET version = version + 1 WHERE level = 'subregion'");
            }

            Future<String> changed = reader.submit(() -> dataOf(lines, "layer-changed"));
            JsonNode event = Json.mapper().readTree(changed.get(30, TimeUnit.SECONDS));
            assertThat(event.path("level").asText()).isEqualTo("subregion");
            assertThat(event.path("version").asLong()).isEqualTo(before + 1);
        } finally {
            reader.shutdownNow();
            stream.body().close();
        }
    }

    /** The data line of the next event named {@code name}. */
    private static String dataOf(Iterator<String> lines, String name) {
        boolean inEvent = false;
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.equals("event: " + name)) {
                inEvent = true;
            } else if (inEvent && line.startsWith("data: ")) {
                return line.substring("data: ".length());
            }
        }
        throw new AssertionError("the stream ended before a " + name + " event");
    }

    // ---- series ---------------------------------------------------------------------------------------

    @Test
    void describesAFieldWithItsLatestReadingsAndLastDailyValues() throws Exception {
        try (Connection connection = FIXTURE.pool().getConnection()) {
            reading(connection, "S-FR-2a", "vwc", Instant.parse("2025-06-02T08:00:00Z"), 0.31, "{G}");
            reading(connection, "S-FR-2a", "vwc", Instant.parse("2025-06-02T09:00:00Z"), 0.29, "{G,D06}");
            reading(connection, "S-FR-2b", "soc", Instant.parse("2025-06-01T09:00:00Z"), 18.5, "{G}");
            for (int day = 0; day < 32; day++) {
                Instant bucket = DAY.minus(Duration.ofDays(31 - day));
                aggregate(connection, "field", "F-FR-2", "vwc", "P1D", bucket, 2, 0.2 + day / 100.0 * 2,
                        0.05, 0.1, 0.2, 30, 6 + day * 0.6, 1, "{\"G\": 2}");
            }
        }

        JsonNode field = json(get("/api/v1/fields/F-FR-2"));

        assertThat(field.path("id").asText()).isEqualTo("F-FR-2");
        assertThat(field.path("country").asText()).isEqualTo("FRA");
        assertThat(field.path("area_ha").asDouble()).isEqualTo(30);
        assertThat(field.path("latest")).extracting(reading -> reading.path("quantity").asText())
                .containsExactly("soc", "vwc");
        JsonNode vwc = field.path("latest").get(1);
        assertThat(vwc.path("time").asText()).isEqualTo("2025-06-02T09:00:00Z");
        assertThat(vwc.path("value").asDouble()).isEqualTo(0.29);
        assertThat(vwc.path("unit").asText()).isEqualTo("m3/m3");
        assertThat(vwc.path("flags")).extracting(JsonNode::asText).containsExactly("G", "D06");
        JsonNode daily = field.path("daily").path("vwc");
        assertThat(daily).hasSize(30);
        assertThat(daily.get(0).path("bucket").asText()).isEqualTo(DAY.minus(Duration.ofDays(29)).toString());
        assertThat(daily.get(29).path("bucket").asText()).isEqualTo(DAY.toString());
        // The newest day (31) has sum 0.2 + 0.62 over two readings.
        assertThat(daily.get(29).path("mean").asDouble()).isCloseTo(0.41, offset(1e-9));
        assertThat(field.path("daily").has("soc")).isFalse();
    }

    private static void reading(Connection connection, String sensor, String quantity, Instant time, double value,
            String flags) throws SQLException {
        ApiFixture.reading(connection, "F-FR-2", sensor, quantity, time, value, flags, "GW-1", 1, time);
    }

    @Test
    void answersASeriesAsJsonInBucketOrder() throws Exception {
        HttpResponse<String> response = get(FRA_SERIES);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode series = json(response);
        assertThat(series.path("level").asText()).isEqualTo("country");
        assertThat(series.path("area").asText()).isEqualTo("FRA");
        assertThat(series.path("name").asText()).isEqualTo("France");
        assertThat(series.path("quantity").asText()).isEqualTo("vwc");
        assertThat(series.path("unit").asText()).isEqualTo("m3/m3");
        assertThat(series.path("resolution").asText()).isEqualTo("PT1H");
        assertThat(series.path("from").asText()).isEqualTo("2025-06-01T10:30:00Z");
        assertThat(series.path("to").asText()).isEqualTo("2025-06-01T12:00:00Z");
        JsonNode points = series.path("points");
        assertThat(points).hasSize(2);
        JsonNode first = points.get(0);
        assertThat(first.path("bucket").asText()).isEqualTo("2025-06-01T10:00:00Z");
        assertThat(first.path("count").asLong()).isEqualTo(4);
        assertThat(first.path("mean").asDouble()).isEqualTo(0.3, offset(1e-12));
        assertThat(first.path("value").asDouble()).isEqualTo(0.35);
        assertThat(first.path("min").asDouble()).isEqualTo(0.2);
        assertThat(first.path("max").asDouble()).isEqualTo(0.4);
        assertThat(first.path("stddev").asDouble()).isEqualTo(Math.sqrt(0.04 / 3), offset(1e-9));
        assertThat(first.path("members").asInt()).isEqualTo(2);
        assertThat(first.path("flags")).isEqualTo(Json.mapper().readTree("{\"D06\":1,\"G\":4}"));
        JsonNode second = points.get(1);
        assertThat(second.path("bucket").asText()).isEqualTo("2025-06-01T11:00:00Z");
        assertThat(second.path("mean").asDouble()).isEqualTo(0.25);
        assertThat(second.path("value").asDouble()).isEqualTo(0.3);
        assertThat(second.path("stddev").asDouble()).isEqualTo(Math.sqrt(0.005), offset(1e-9));
    }

    @Test
    void answersTheSameSeriesAsCsvWhenAskedByParameterOrAcceptHeader() throws Exception {
        HttpResponse<String> byParameter = get(FRA_SERIES + "&format=csv");
        HttpResponse<String> byHeader = get(FRA_SERIES, "Accept", "text/csv");

        for (HttpResponse<String> response : List.of(byParameter, byHeader)) {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/csv"));
            String[] lines = response.body().split("\r\n", -1);
            assertThat(lines).hasSize(4);
            assertThat(lines[0]).isEqualTo("bucket,count,mean,value,min,max,stddev,members,area_ha,flagged,flags");
            String[] first = lines[1].split(",", -1);
            assertThat(first[0]).isEqualTo("2025-06-01T10:00:00Z");
            assertThat(first[1]).isEqualTo("4");
            assertThat(Double.parseDouble(first[2])).isEqualTo(0.3, offset(1e-12));
            assertThat(Double.parseDouble(first[3])).isEqualTo(0.35);
            assertThat(Double.parseDouble(first[4])).isEqualTo(0.2);
            assertThat(Double.parseDouble(first[5])).isEqualTo(0.4);
            assertThat(Double.parseDouble(first[6])).isEqualTo(Math.sqrt(0.04 / 3), offset(1e-9));
            assertThat(first[7]).isEqualTo("2");
            assertThat(Double.parseDouble(first[8])).isEqualTo(40);
            assertThat(first[9]).isEqualTo("5");
            assertThat(first[10]).isEqualTo("D06=1;G=4");
            assertThat(lines[2]).startsWith("2025-06-01T11:00:00Z,2,0.25,0.3,0.2,0.3,");
            assertThat(lines[3]).isEmpty();
        }
        assertThat(byHeader.body()).isEqualTo(byParameter.body());
    }

    @Test
    void answersAFieldSeriesAndAnEmptyOneForAFieldWithoutData() throws Exception {
        JsonNode withData = json(get("/api/v1/series?level=field&area=F-FR-1&quantity=vwc"
                + "&from=2025-06-01T00:00:00Z&to=2025-06-02T00:00:00Z"));
        JsonNode withoutData = json(get("/api/v1/series?level=field&area=F-KE-1&quantity=vwc"
                + "&from=2025-06-01T00:00:00Z&to=2025-06-02T00:00:00Z"));

        assertThat(withData.path("name").asText()).isEqualTo("F-FR-1");
        assertThat(withData.path("points")).hasSize(1);
        assertThat(withData.path("points").get(0).path("value").asDouble()).isEqualTo(0.25);
        assertThat(withoutData.path("points")).isEmpty();
    }

    // ---- areas ----------------------------------------------------------------------------------------

    @Test
    void listsTheHierarchyWithFieldCounts() throws Exception {
        JsonNode world = json(get("/api/v1/areas"));

        assertThat(world.path("level").asText()).isEqualTo("world");
        assertThat(world.path("code").asText()).isEqualTo("001");
        assertThat(world.path("fields").asLong()).isEqualTo(3);
        JsonNode europe = null;
        for (JsonNode region : world.path("children")) {
            if (region.path("code").asText().equals("150")) {
                europe = region;
            }
        }
        assertThat(europe).isNotNull();
        assertThat(europe.path("fields").asLong()).isEqualTo(2);
    }

    @Test
    void listsTheFieldsOfOneCountry() throws Exception {
        JsonNode list = json(get("/api/v1/areas?level=field&parent=FRA"));

        assertThat(list.path("level").asText()).isEqualTo("field");
        assertThat(list.path("areas")).extracting(area -> area.path("code").asText())
                .containsExactly("F-FR-1", "F-FR-2");
        assertThat(list.path("areas").get(1).path("area_ha").asDouble()).isEqualTo(30);
        assertThat(list.path("areas").get(1).path("land_use").asText()).isEqualTo("cropland");
    }

    @Test
    void listsTheCountriesOfOneSubregion() throws Exception {
        JsonNode list = json(get("/api/v1/areas?level=country&parent=155"));

        assertThat(list.path("areas")).extracting(area -> area.path("code").asText()).contains("FRA", "DEU")
                .doesNotContain("KEN");
    }

    // ---- problems -------------------------------------------------------------------------------------

    static Stream<Arguments> mistakes() {
        String series = "/api/v1/series?level=country&area=FRA&quantity=vwc";
        return Stream.of(
                Arguments.of("/api/v1/layers/county?quantity=vwc", 404, "unknown-layer", "level"),
                Arguments.of("/api/v1/layers/country", 400, "missing-parameter", "quantity"),
                Arguments.of("/api/v1/layers/country?quantity=moisture", 400, "unknown-quantity", "quantity"),
                Arguments.of("/api/v1/layers/country?quantity=vwc&resolution=PT5M", 400, "unknown-resolution",
                        "resolution"),
                Arguments.of("/api/v1/layers/country?quantity=vwc&bbox=0,0,1,1", 400, "unknown-parameter", "bbox"),
                Arguments.of("/api/v1/series?level=planet&area=FRA&quantity=vwc", 400, "unknown-level", "level"),
                Arguments.of("/api/v1/series?level=country&quantity=vwc", 400, "missing-parameter", "area"),
                Arguments.of(series + "&from=soon", 400, "invalid-time", "from"),
                Arguments.of(series + "&to=2025-06-01T10:00:00", 400, "invalid-time", "to"),
                Arguments.of(series + "&from=2025-06-02&to=2025-06-01", 400, "invalid-time-range", "from"),
                Arguments.of(series + "&from=2025-01-01&to=2025-03-01", 400, "span-too-large", "from"),
                Arguments.of(series + "&format=xml", 400, "unknown-format", "format"),
                Arguments.of(series + "&quantity=soc", 400, "repeated-parameter", "quantity"),
                Arguments.of("/api/v1/series?level=country&area=ATL&quantity=vwc", 404, "unknown-area", "area"),
                Arguments.of("/api/v1/series?level=subregion&area=999&quantity=vwc", 404, "unknown-area", "area"),
                Arguments.of("/api/v1/series?level=field&area=NO-SUCH-FIELD&quantity=vwc", 404, "unknown-area", "area"),
                Arguments.of("/api/v1/areas?level=moon", 400, "unknown-level", "level"),
                Arguments.of("/api/v1/fields/F-XX-9", 404, "unknown-area", null),
                Arguments.of("/api/v1/fields/F-FR-1?days=3", 400, "unknown-parameter", "days"),
                Arguments.of("/api/v1/areas?parent=150", 400, "missing-parameter", "level"),
                Arguments.of("/api/v1/nothing-here", 404, "not-found", null),
                Arguments.of("/no-such-page.html", 404, "not-found", null));
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @MethodSource("mistakes")
    void answersAMistakeWithAProblemBodyAndNoStackTraceInTheLog(String pathAndQuery, int status, String type,
            String parameter) throws Exception {
        int logged = LOG.list.size();

        HttpResponse<String> response = get(pathAndQuery);

        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                contentType -> assertThat(contentType).startsWith("application/problem+json"));
        JsonNode problem = json(response);
        assertThat(problem.path("type").asText()).isEqualTo("/problems/" + type);
        assertThat(problem.path("title").asText()).isNotBlank();
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("detail").asText()).isNotBlank();
        assertThat(problem.path("instance").asText()).isEqualTo(pathAndQuery);
        if (parameter == null) {
            assertThat(problem.has("parameter")).isFalse();
        } else {
            assertThat(problem.path("parameter").asText()).isEqualTo(parameter);
        }
        List<ILoggingEvent> events = new ArrayList<>(LOG.list.subList(logged, LOG.list.size()));
        assertThat(events).noneMatch(event -> event.getThrowableProxy() != null)
                .noneMatch(event -> event.getLevel().isGreaterOrEqual(Level.WARN));
    }

    @Test
    void refusesAnotherMethodWith405NamingTheAllowedOne() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/v1/areas"))
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(json(response).path("type").asText()).isEqualTo("/problems/method-not-allowed");
        assertThat(response.headers().firstValue("Allow")).hasValueSatisfying(allow -> assertThat(allow).contains("GET"));
    }

    @Test
    void layerShowsTheLatestBucketWithGoodReadingsWhenANewerOneIsAllFlagged() throws Exception {
        JsonNode portugal = feature(json(get("/api/v1/layers/country?quantity=ph")), "PRT").path("properties");

        assertThat(portugal.path("value").asDouble()).isEqualTo(6.5);
        assertThat(portugal.path("bucket").asText()).isEqualTo(T0.toString());
        assertThat(portugal.path("count").asLong()).isEqualTo(1);
    }

    @Test
    void answersAServerFaultWith500WithoutRevealingItAndLogsItOnce() throws Exception {
        int logged = LOG.list.size();

        HttpResponse<String> response = get("/api/v1/layers/region?quantity=ec");

        assertThat(response.statusCode()).isEqualTo(500);
        JsonNode problem = json(response);
        assertThat(problem.path("type").asText()).isEqualTo("/problems/internal-error");
        assertThat(problem.path("detail").asText()).contains("error id").doesNotContain("Exception")
                .doesNotContain("org.soilobs");
        assertThat(response.body()).doesNotContain("\tat ").doesNotContain("min, max, first and last");
        String errorId = problem.path("detail").asText().replaceAll(".*error id ([0-9a-f-]+).*", "$1");
        List<ILoggingEvent> errors = new ArrayList<>(LOG.list.subList(logged, LOG.list.size())).stream()
                .filter(event -> event.getLevel() == Level.ERROR).toList();
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).getFormattedMessage()).contains(errorId);
        assertThat(errors.get(0).getThrowableProxy()).isNotNull();
    }

    // ---- page, health, metrics, CORS ------------------------------------------------------------------

    @Test
    void servesTheMapPageAndItsVendoredLeaflet() throws Exception {
        int logged = LOG.list.size();

        HttpResponse<String> page = get("/");
        HttpResponse<String> leaflet = get("/vendor/leaflet/leaflet.js");
        HttpResponse<String> css = get("/vendor/leaflet/leaflet.css");
        HttpResponse<String> script = get("/map.js");

        for (String asset : List.of("/index.html", "/map.css", "/vendor/leaflet/images/layers.png",
                "/vendor/leaflet/LICENSE")) {
            assertThat(get(asset).statusCode()).as(asset).isEqualTo(200);
        }
        assertThat(get("/map.css").headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/css"));
        assertThat(new ArrayList<>(LOG.list.subList(logged, LOG.list.size())))
                .noneMatch(event -> event.getLevel().isGreaterOrEqual(Level.WARN));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/html"));
        assertThat(page.body()).contains("vendor/leaflet/leaflet.js", "map.js", "Soil Health Observatory");
        assertThat(leaflet.statusCode()).isEqualTo(200);
        assertThat(leaflet.body()).contains("Leaflet").contains("1.9.");
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.body()).contains("api/v1/layers/");
    }

    @Test
    void reportsHealthUpWhileTheDatabaseAnswers() throws Exception {
        HttpResponse<String> response = get("/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response)).isEqualTo(Json.mapper().readTree("{\"status\":\"UP\",\"database\":\"UP\"}"));
    }

    @Test
    void checksKafkaWhenConfiguredAndReportsDegradedWithoutIt() throws Exception {
        String kafka = SharedInfra.kafka().bootstrapServers();
        try (ObservatoryApi withKafka = ObservatoryApi.start(
                new ApiConfig("127.0.0.1", 0, List.of(), FIXTURE.db(), 1, kafka), FIXTURE.pool(), REFERENCE);
                ObservatoryApi kafkaGone = ObservatoryApi.start(new ApiConfig("127.0.0.1", 0, List.of(), FIXTURE.db(),
                        1, "127.0.0.1:" + FreePorts.next()), FIXTURE.pool(), REFERENCE)) {
            // The first check also connects the admin client: on a loaded machine that may outlast one probe.
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            HttpResponse<String> up = send(withKafka, "/health", "Accept", "application/json");
            while (!up.body().contains("\"kafka\":\"UP\"") && System.nanoTime() < deadline) {
                Thread.sleep(200);
                up = send(withKafka, "/health", "Accept", "application/json");
            }
            HttpResponse<String> degraded = send(kafkaGone, "/health", "Accept", "application/json");

            assertThat(up.statusCode()).isEqualTo(200);
            assertThat(json(up)).isEqualTo(Json.mapper().readTree(
                    "{\"status\":\"UP\",\"database\":\"UP\",\"kafka\":\"UP\"}"));
            assertThat(degraded.statusCode()).isEqualTo(200);
            assertThat(json(degraded)).isEqualTo(Json.mapper().readTree(
                    "{\"status\":\"DEGRADED\",\"database\":\"UP\",\"kafka\":\"DOWN\"}"));
        }
    }

    @Test
    void reportsHealthDownAndAnswers503WhenTheDatabaseIsGone() throws Exception {
        PGSimpleDataSource nowhere = new PGSimpleDataSource();
        nowhere.setServerNames(new String[] {"127.0.0.1"});
        nowhere.setPortNumbers(new int[] {FreePorts.next()});
        nowhere.setDatabaseName("observatory");
        nowhere.setUser("observatory");
        nowhere.setConnectTimeout(2);
        DbConfig unused = new DbConfig("jdbc:postgresql://127.0.0.1:1/none", "observatory", "");
        try (ObservatoryApi orphan = ObservatoryApi.start(new ApiConfig("127.0.0.1", 0, List.of(), unused, 1), nowhere,
                REFERENCE)) {
            HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(URI.create(orphan.baseUrl() + "/health"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> layer = HTTP.send(HttpRequest.newBuilder(
                    URI.create(orphan.baseUrl() + "/api/v1/layers/country?quantity=vwc")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(json(health)).isEqualTo(Json.mapper().readTree("{\"status\":\"DOWN\",\"database\":\"DOWN\"}"));
            assertThat(layer.statusCode()).isEqualTo(503);
            assertThat(json(layer).path("type").asText()).isEqualTo("/problems/database-unavailable");
            assertThat(layer.headers().firstValue("Retry-After")).isPresent();
        }
    }

    @Test
    void exposesPrometheusMetricsOfTheJvmAndOfHttpRequestsByRoute() throws Exception {
        get("/no-such-page.html");
        get("/map.css");
        get("/api/v1/areas?level=region");
        String text = "";
        // The request log (and so the timer) is written as the response completes: look again briefly.
        for (int attempt = 0; attempt < 50 && !text.contains("uri=\"/api/v1/areas\""); attempt++) {
            HttpResponse<String> response = get("/metrics");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/plain"));
            text = response.body();
            if (!text.contains("uri=\"/api/v1/areas\"")) {
                Thread.sleep(100);
            }
        }

        assertThat(text).contains("jvm_memory_used_bytes", "process_cpu_usage", "jvm_gc_");
        assertThat(text).containsPattern("http_server_requests_seconds_count\\{[^}]*uri=\"/api/v1/areas\"[^}]*\\}");
        assertThat(text).doesNotContain("uri=\"/api/v1/areas?").doesNotContain("no-such-page")
                .doesNotContain("uri=\"/map.css\"");
    }

    @Test
    void letsOnlyAnAllowedOriginReadTheLayerAndItsTag() throws Exception {
        String layer = "/api/v1/layers/world?quantity=vwc";
        try (ObservatoryApi withCors = ObservatoryApi.start(
                new ApiConfig("127.0.0.1", 0, List.of(CORS_ORIGIN), FIXTURE.db(), 4), FIXTURE.pool(), REFERENCE)) {
            HttpResponse<String> allowed = send(withCors, layer, "Origin", CORS_ORIGIN);
            HttpResponse<String> other = send(withCors, layer, "Origin", "https://evil.example.com");
            HttpResponse<String> page = send(withCors, "/map.css", "Origin", CORS_ORIGIN);

            assertThat(allowed.statusCode()).isEqualTo(200);
            assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue(CORS_ORIGIN);
            assertThat(allowed.headers().firstValue("Access-Control-Expose-Headers")).hasValueSatisfying(
                    exposed -> assertThat(exposed).containsIgnoringCase("etag"));
            assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
            assertThat(page.statusCode()).isEqualTo(200);
        }
        HttpResponse<String> sameOriginOnly = get(layer, "Origin", CORS_ORIGIN);
        assertThat(sameOriginOnly.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void drawsTheWorldAsOneFeature() throws Exception {
        JsonNode collection = json(get("/api/v1/layers/world?quantity=vwc"));

        assertThat(collection.path("features")).hasSize(1);
        assertThat(collection.path("features").get(0).path("id").asText()).isEqualTo("001");
        assertThat(collection.path("features").get(0).path("geometry").path("type").asText())
                .isIn("Polygon", "MultiPolygon");
    }
}
