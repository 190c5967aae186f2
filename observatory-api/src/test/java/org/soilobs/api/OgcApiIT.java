package org.soilobs.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.soilobs.api.ApiFixture.field;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.soilobs.model.Json;
import org.soilobs.model.Level;
import org.soilobs.reference.ReferenceData;

/**
 * OGC API – Features against a real PostgreSQL, asked over HTTP and by GDAL ({@code ogrinfo},
 * {@code ogr2ogr} from Debian's {@code gdal-bin}, installed by {@code scripts/ensure-tools.sh}): a client
 * the project did not write, following the landing page, conformance, the API definition, the
 * collections and the next links on its own.
 */
class OgcApiIT {

    private static final String SCHEMA = "ogc_it";
    private static final Instant T0 = Instant.parse("2025-06-01T10:00:00Z");
    private static final Instant T1 = Instant.parse("2025-06-01T11:00:00Z");
    private static final ReferenceData REFERENCE = ApiFixture.reference();

    @RegisterExtension
    static final ApiFixture FIXTURE = new ApiFixture(SCHEMA, 4);

    private static ObservatoryApi api;

    @BeforeAll
    static void startApiOnAMigratedDatabase() throws SQLException {
        FIXTURE.seed(connection -> {
            field(connection, "F-FR-1", 2.35, 48.85, 10, "FRA", "155", "150");
            field(connection, "F-FJ-1", 179.2, -17.8, 10, "FJI", "054", "009");
            field(connection, "F-KE-1", 36.82, -1.29, 10, "KEN", "014", "002");
            aggregate(connection, "country", "FRA", T0, 2, 0.4);
            aggregate(connection, "country", "FRA", T1, 2, 0.6);
            aggregate(connection, "field", "F-FR-1", T1, 1, 0.3);
        });
        api = FIXTURE.start(FIXTURE.config(4));
    }

    /** An hourly vwc bucket whose readings all have {@code value}, over 10 ha. */
    private static void aggregate(Connection connection, String level, String area, Instant bucket, long count,
            double value) throws SQLException {
        ApiFixture.uniformAggregate(connection, level, area, "vwc", "PT1H", bucket, count, value);
    }

    private static HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return ApiFixture.get(api, pathAndQuery);
    }

    private static JsonNode json(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> response = get(pathAndQuery);
        assertThat(response.statusCode()).as(pathAndQuery + ": " + response.body()).isEqualTo(200);
        return Json.mapper().readTree(response.body());
    }

    private static String href(JsonNode links, String rel) {
        for (JsonNode link : links) {
            if (link.path("rel").asText().equals(rel)) {
                return link.path("href").asText();
            }
        }
        throw new AssertionError("no link " + rel + " in " + links);
    }

    private static List<String> ids(JsonNode collection) {
        List<String> ids = new ArrayList<>();
        collection.path("features").forEach(feature -> ids.add(feature.path("id").asText()));
        return ids;
    }

    // ---- documents ------------------------------------------------------------------------------------

    @Test
    void linksTheLandingPageToTheDefinitionConformanceAndCollections() throws Exception {
        JsonNode landing = json("/ogc");
        assertThat(json("/ogc/")).isEqualTo(landing);

        assertThat(href(landing.path("links"), "service-desc")).isEqualTo(api.baseUrl() + "/ogc/api");
        assertThat(href(landing.path("links"), "conformance")).isEqualTo(api.baseUrl() + "/ogc/conformance");
        assertThat(href(landing.path("links"), "data")).isEqualTo(api.baseUrl() + "/ogc/collections");
        assertThat(json("/ogc/conformance").path("conformsTo")).extracting(JsonNode::asText).containsExactlyInAnyOrder(
                "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
                "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
                "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30");
        HttpResponse<String> definition = get("/ogc/api");
        assertThat(definition.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/vnd.oai.openapi+json"));
        assertThat(Json.mapper().readTree(definition.body()).path("openapi").asText()).startsWith("3.0");
    }

    @Test
    void listsTheCollectionsWithLinksToTheirItems() throws Exception {
        JsonNode collections = json("/ogc/collections").path("collections");

        assertThat(collections).extracting(collection -> collection.path("id").asText()).containsExactly(
                "countries", "subregions", "regions", "fields", "latest-aggregates");
        JsonNode countries = json("/ogc/collections/countries");
        assertThat(href(countries.path("links"), "items")).isEqualTo(api.baseUrl() + "/ogc/collections/countries/items");
        assertThat(countries.path("crs").get(0).asText()).isEqualTo("http://www.opengis.net/def/crs/OGC/1.3/CRS84");
    }

    // ---- items ----------------------------------------------------------------------------------------

    @Test
    void pagesThroughTheCountriesWithNextLinksAndCounts() throws Exception {
        int countries = REFERENCE.areas(Level.COUNTRY).size();
        HttpResponse<String> first = get("/ogc/collections/countries/items?limit=100");
        assertThat(first.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/geo+json"));

        List<String> seen = new ArrayList<>();
        JsonNode page = Json.mapper().readTree(first.body());
        int pages = 1;
        while (true) {
            assertThat(page.path("numberMatched").asInt()).isEqualTo(countries);
            assertThat(page.path("numberReturned").asInt()).isEqualTo(page.path("features").size());
            seen.addAll(ids(page));
            JsonNode links = page.path("links");
            if (!links.toString().contains("\"next\"")) {
                break;
            }
            page = json(href(links, "next").substring(api.baseUrl().length()));
            pages++;
        }
        assertThat(pages).isEqualTo((countries + 99) / 100);
        assertThat(seen).hasSize(countries).doesNotHaveDuplicates().contains("FRA", "KEN");
    }

    @Test
    void lowersALimitAboveTheMaximumToIt() throws Exception {
        JsonNode page = json("/ogc/collections/countries/items?limit=100000");

        assertThat(page.path("numberReturned").asInt()).isEqualTo(Math.min(1000, REFERENCE.areas(Level.COUNTRY).size()));
        assertThat(href(page.path("links"), "self")).contains("limit=1000");
    }

    @Test
    void filtersByBoundingBoxAcrossTheAntimeridianToo() throws Exception {
        assertThat(ids(json("/ogc/collections/countries/items?bbox=2.0,46.5,2.5,47.0"))).containsExactly("FRA");
        assertThat(ids(json("/ogc/collections/fields/items?bbox=170,-30,-170,0"))).containsExactly("F-FJ-1");
        assertThat(ids(json("/ogc/collections/fields/items?bbox=-10,40,10,50"))).containsExactly("F-FR-1");
        assertThat(json("/ogc/collections/fields/items").path("numberMatched").asInt()).isEqualTo(3);
    }

    @Test
    void answersTheLatestAggregateAsOfADatetime() throws Exception {
        JsonNode now = json("/ogc/collections/latest-aggregates/items/country.FRA.vwc.PT1H");
        assertThat(now.path("properties").path("bucket").asText()).isEqualTo(T1.toString());
        assertThat(now.path("properties").path("value").asDouble()).isEqualTo(0.6);
        assertThat(now.path("geometry").path("type").asText()).endsWith("Polygon");

        JsonNode asOfT0 = json("/ogc/collections/latest-aggregates/items?datetime=../2025-06-01T10:30:00Z");
        assertThat(ids(asOfT0)).containsExactly("country.FRA.vwc.PT1H");
        assertThat(asOfT0.path("features").get(0).path("properties").path("value").asDouble()).isEqualTo(0.4);
        assertThat(ids(json("/ogc/collections/latest-aggregates/items?bbox=2,48,3,49")))
                .containsExactly("country.FRA.vwc.PT1H", "field.F-FR-1.vwc.PT1H");
    }

    @Test
    void answersASingleFeatureWithItsLinks() throws Exception {
        JsonNode kenya = json("/ogc/collections/countries/items/KEN");

        assertThat(kenya.path("type").asText()).isEqualTo("Feature");
        assertThat(kenya.path("properties").path("name").asText()).isEqualTo("Kenya");
        assertThat(href(kenya.path("links"), "collection")).isEqualTo(api.baseUrl() + "/ogc/collections/countries");
        JsonNode field = json("/ogc/collections/fields/items/F-FJ-1");
        assertThat(field.path("geometry").path("coordinates").get(0).asDouble()).isEqualTo(179.2);
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of("/ogc/collections/rivers", 404, "unknown-collection", null),
                Arguments.of("/ogc/collections/rivers/items", 404, "unknown-collection", null),
                Arguments.of("/ogc/collections/countries/items/ATL", 404, "unknown-feature", null),
                Arguments.of("/ogc/collections/latest-aggregates/items/country.FRA", 404, "unknown-feature", null),
                Arguments.of("/ogc/collections/countries/items?limit=0", 400, "invalid-limit", "limit"),
                Arguments.of("/ogc/collections/countries/items?limit=ten", 400, "invalid-limit", "limit"),
                Arguments.of("/ogc/collections/countries/items?offset=-1", 400, "invalid-offset", "offset"),
                Arguments.of("/ogc/collections/countries/items?bbox=1,2,3", 400, "invalid-bbox", "bbox"),
                Arguments.of("/ogc/collections/countries/items?bbox=1,50,3,40", 400, "invalid-bbox", "bbox"),
                Arguments.of("/ogc/collections/countries/items?bbox=a,b,c,d", 400, "invalid-bbox", "bbox"),
                Arguments.of("/ogc/collections/countries/items?bbox=-200,0,10,10", 400, "invalid-bbox", "bbox"),
                Arguments.of("/ogc/collections/latest-aggregates/items?datetime=yesterday", 400, "invalid-datetime",
                        "datetime"),
                Arguments.of("/ogc/collections/latest-aggregates/items?datetime=2025-06-02/2025-06-01", 400,
                        "invalid-datetime", "datetime"),
                Arguments.of("/ogc/collections/countries/items?f=html", 400, "unknown-format", "f"),
                Arguments.of("/ogc/collections/countries/items?bbox-crs=EPSG:4326", 400, "unknown-parameter", "bbox-crs"),
                Arguments.of("/ogc/conformance?limit=1", 400, "unknown-parameter", "limit"));
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @MethodSource("mistakes")
    void answersAMistakeWithAProblemBody(String pathAndQuery, int status, String type, String parameter)
            throws Exception {
        HttpResponse<String> response = get(pathAndQuery);

        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                contentType -> assertThat(contentType).startsWith("application/problem+json"));
        JsonNode problem = Json.mapper().readTree(response.body());
        assertThat(problem.path("type").asText()).isEqualTo("/problems/" + type);
        assertThat(problem.path("detail").asText()).isNotBlank();
        assertThat(problem.path("parameter").isMissingNode()).isEqualTo(parameter == null);
        if (parameter != null) {
            assertThat(problem.path("parameter").asText()).isEqualTo(parameter);
        }
    }

    // ---- GDAL -----------------------------------------------------------------------------------------

    @Test
    void gdalListsTheCollectionsFromTheLandingPage() throws Exception {
        String out = run(List.of("ogrinfo", "-ro", "-q", "OAPIF:" + api.baseUrl() + "/ogc"));

        assertThat(out).contains("countries", "subregions", "regions", "fields", "latest-aggregates");
    }

    @Test
    void gdalExportsTheCountriesToAGeoPackageWithEveryCountry() throws Exception {
        Path target = Path.of("target", "ogc-it");
        Files.createDirectories(target);
        Path geopackage = target.resolve("countries.gpkg");
        Files.deleteIfExists(geopackage);

        run(List.of("ogr2ogr", "-f", "GPKG", geopackage.toString(), "OAPIF:" + api.baseUrl() + "/ogc", "countries"));
        String summary = run(List.of("ogrinfo", "-ro", "-so", geopackage.toString(), "countries"));

        assertThat(summary).contains("Feature Count: " + REFERENCE.areas(Level.COUNTRY).size());
        assertThat(summary).contains("name: String");
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError(command.get(0) + " is not installed: run scripts/ensure-tools.sh (gdal-bin)", e);
        }
        byte[] output;
        try {
            output = process.getInputStream().readAllBytes();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                throw new AssertionError(command + " did not finish");
            }
        } finally {
            process.destroyForcibly();
        }
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(command + " said:\n" + text).isZero();
        return text;
    }
}
