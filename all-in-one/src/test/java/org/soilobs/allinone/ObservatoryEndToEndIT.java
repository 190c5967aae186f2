package org.soilobs.allinone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.soilobs.model.Json;
import org.soilobs.sim.MqttGatewayPublisher;
import org.soilobs.sim.PublishResult;
import org.soilobs.sim.Scenario;

/**
 * The whole observatory on real servers — HiveMQ, a KRaft Kafka broker, PostgreSQL — fed by the
 * simulator through MQTT, checked by DESIGN §2's {@link Oracle}: every PUBACKed reading is in the
 * database or in the dead-letter topic exactly once, and every aggregate equals a recomputation from
 * the published readings, done independently of the streams code. Without faults, no dead letter may
 * repeat and streams may refuse nothing.
 */
class ObservatoryEndToEndIT {

    private static final long SEED = 20261123L;
    private static final int FIELDS = 60;

    private static Observatory observatory;
    private static Oracle oracle;
    private static Scenario scenario;
    private static PublishResult published;

    @BeforeAll
    static void runScenario() throws Exception {
        Path dataDir = Files.createTempDirectory("observatory-e2e");
        observatory = Observatory.start(ObservatoryConfig.fromEnv(Map.of(
                "OBS_DATA_DIR", dataDir.toString(),
                "OBS_SIMULATE", "false",
                "OBS_SIM_SEED", Long.toString(SEED),
                "OBS_SIM_FIELDS", Integer.toString(FIELDS),
                "OBS_API_PORT", "0",
                "OBS_EMBEDDED_MQTT_PORT", "0",
                "OBS_EMBEDDED_KAFKA_PORT", "0",
                "OBS_EMBEDDED_POSTGRES_PORT", "0")));

        Instant to = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        Instant from = to.truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.HOURS);
        scenario = Scenario.fixed(observatory.fleet(), SEED, from, to, Duration.ofMinutes(10), 0.05);
        try (MqttGatewayPublisher publisher =
                MqttGatewayPublisher.connect(observatory.env().get("OBS_MQTT_URL"), "e2e-publisher")) {
            published = publisher.publish(scenario.batches());
        }
        oracle = new Oracle(observatory.dataSource(), observatory.env().get("OBS_KAFKA_BOOTSTRAP"),
                observatory.fleet().fields());
    }

    @AfterAll
    static void stop() {
        if (observatory != null) {
            observatory.close();
        }
    }

    @Test
    void everyPublishedReadingWasAcknowledged() {
        assertThat(published.messages()).isEqualTo(scenario.batches().size());
        assertThat(published.readings()).isEqualTo(scenario.readings().size());
        assertThat(scenario.invalidReadings()).isNotEmpty();
    }

    @Test
    void everyValidReadingIsStoredExactlyOnce() throws Exception {
        oracle.assertStoredExactlyOnce(scenario.validReadings());
    }

    @Test
    void rejectedReadingsEqualTheInvalidOnesWithTheirReasons() throws Exception {
        Oracle.DeadLetters deadLetters = oracle.assertDeadLetteredOnce(scenario.invalidReadings());

        // Without faults nothing is redelivered, and streams has nothing to refuse.
        assertThat(deadLetters.repeats()).as("dead letters repeated").isZero();
        assertThat(deadLetters.fromStreams()).as("dead letters from streams").isZero();
    }

    @Test
    void everyAggregateAtEveryLevelEqualsTheReference() throws Exception {
        Map<String, List<String>> storedFlags = oracle.assertStoredExactlyOnce(scenario.validReadings());

        Set<String> aggregates = oracle.assertAggregates(scenario.validReadings(), storedFlags);

        assertThat(aggregates.stream().map(key -> key.split("\\|")[0]).distinct())
                .containsExactlyInAnyOrder("field", "country", "subregion", "region", "world");
    }

    @Test
    void countryLayerShowsValuesForAtLeastThirtyCountries() throws Exception {
        // The layer follows the sink's commits (LISTEN layer_changed): poll it, as a map does, rather than
        // reading it once at an instant that may fall between the aggregates of two quantities.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        long withValues = countriesWithVwc();
        while (withValues < 30 && System.nanoTime() < deadline) {
            Thread.sleep(500);
            withValues = countriesWithVwc();
        }
        assertThat(withValues).isGreaterThanOrEqualTo(30);
    }

    private long countriesWithVwc() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(observatory.baseUrl() + "/api/v1/layers/country?quantity=vwc")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode layer = Json.mapper().readTree(response.body());
        assertThat(layer.path("type").asText()).isEqualTo("FeatureCollection");
        long withValues = 0;
        for (JsonNode feature : layer.path("features")) {
            assertThat(feature.path("type").asText()).isEqualTo("Feature");
            assertThat(feature.path("geometry").path("type").asText()).isIn("Polygon", "MultiPolygon");
            if (feature.path("properties").path("value").isNumber()) {
                withValues++;
            }
        }
        return withValues;
    }
}
