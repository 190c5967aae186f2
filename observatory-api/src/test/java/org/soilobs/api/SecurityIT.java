package org.soilobs.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.soilobs.model.Json;
import org.soilobs.model.Topics;
import org.soilobs.storage.DbConfig;
import org.soilobs.testkit.EmbeddedKafka;
import org.soilobs.testkit.SharedInfra;

/**
 * The gates of issue 10 over HTTP, on a real PostgreSQL and a real Kafka broker: admin routes behind a
 * bearer token (401 without one or with an unknown one, 403 with a read token, 202 with an admin token,
 * the registration then on its compacted topic), every 4xx of a registration body, 503 without Kafka,
 * 429 with {@code Retry-After} past the rate limit (and none for a token holder), and the CORS allow-list
 * on a preflight.
 */
class SecurityIT {

    private static final String SCHEMA = "security_it";
    private static final String ADMIN = "admin-token-0123456789abcdef";
    private static final String READER = "read-token-0123456789abcdef";
    private static final String FIELD_BODY = "{\"lon\":2.35,\"lat\":48.85,\"area_ha\":12.5,\"land_use\":\"cropland\","
            + "\"bulk_density\":1.3,\"coarse_fraction\":0.1,\"depth_cm\":30}";
    private static final String ALLOWED_ORIGIN = "https://maps.example.org";
    private static final HttpClient HTTP = ApiFixture.HTTP;

    @RegisterExtension
    static final ApiFixture FIXTURE = new ApiFixture(SCHEMA, 4);

    private static EmbeddedKafka kafka;
    private static ObservatoryApi api;
    private static ObservatoryApi withoutKafka;
    private static ObservatoryApi limited;

    @BeforeAll
    static void start() throws SQLException {
        kafka = SharedInfra.kafka();
        kafka.createTopics(List.of(new NewTopic(Topics.FIELDS, 1, (short) 1), new NewTopic(Topics.SENSORS, 1, (short) 1)));
        DbConfig db = FIXTURE.db();
        api = FIXTURE.start(new ApiConfig("127.0.0.1", 0, List.of(ALLOWED_ORIGIN), db, 2, kafka.bootstrapServers())
                .withTokens(Set.of(ADMIN), Set.of(READER)));
        withoutKafka = FIXTURE.start(FIXTURE.config(2).withTokens(Set.of(ADMIN), Set.of(READER)));
        limited = FIXTURE.start(FIXTURE.config(2).withTokens(Set.of(ADMIN), Set.of(READER)).withRateLimit(1, 2));
    }

    private static HttpResponse<String> put(ObservatoryApi server, String path, String body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(ObservatoryApi server, String path, String... headers)
            throws IOException, InterruptedException {
        return ApiFixture.get(server, path, headers);
    }

    private static JsonNode problem(HttpResponse<String> response, int status, String type) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode body = Json.mapper().readTree(response.body());
        assertThat(body.path("type").asText()).isEqualTo("/problems/" + type);
        assertThat(response.body()).doesNotContain("Exception", "\tat ");
        return body;
    }

    // ---- admin routes ----------------------------------------------------------------------------------

    @Test
    void anAdminTokenRegistersAFieldOnTheCompactedTopic() throws Exception {
        HttpResponse<String> response = put(api, "/api/v1/admin/fields/F-SEC-1", FIELD_BODY,
                "Authorization", "Bearer " + ADMIN);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode field = Json.mapper().readTree(response.body());
        assertThat(field.path("id").asText()).isEqualTo("F-SEC-1");
        assertThat(field.path("placement").path("country").asText()).isEqualTo("FRA");
        ConsumerRecord<String, String> record = last(Topics.FIELDS, "F-SEC-1");
        assertThat(Json.mapper().readTree(record.value())).isEqualTo(field);
    }

    @Test
    void anAdminTokenRegistersASensor() throws Exception {
        HttpResponse<String> response = put(api, "/api/v1/admin/sensors/S-SEC-1",
                "{\"gateway\":\"gw-9\",\"field\":\"F-SEC-1\",\"model\":\"sim-v1\"}", "Authorization", "Bearer " + ADMIN);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(Json.mapper().readTree(last(Topics.SENSORS, "S-SEC-1").value()).path("gateway").asText())
                .isEqualTo("gw-9");
    }

    @Test
    void withoutATokenTheAnswerIs401WithAChallenge() throws Exception {
        HttpResponse<String> response = put(api, "/api/v1/admin/fields/F-SEC-2", FIELD_BODY);

        problem(response, 401, "unauthorized");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"soil-observatory\"");
    }

    @Test
    void anUnknownTokenIs401EvenOnAPublicRoute() throws Exception {
        HttpResponse<String> admin = put(api, "/api/v1/admin/fields/F-SEC-2", FIELD_BODY,
                "Authorization", "Bearer not-a-configured-token-0123");
        HttpResponse<String> read = get(api, "/api/v1/areas", "Authorization", "Bearer not-a-configured-token-0123");

        problem(admin, 401, "unauthorized");
        problem(read, 401, "unauthorized");
        assertThat(read.headers().firstValue("WWW-Authenticate"))
                .hasValue("Bearer realm=\"soil-observatory\", error=\"invalid_token\"");
    }

    @Test
    void aReadTokenIs403OnAdminRoutesAndReadsAsUsual() throws Exception {
        HttpResponse<String> admin = put(api, "/api/v1/admin/sensors/S-SEC-2",
                "{\"gateway\":\"gw-9\",\"field\":\"F-SEC-1\",\"model\":\"sim-v1\"}", "Authorization", "Bearer " + READER);
        HttpResponse<String> read = get(api, "/api/v1/areas?level=region", "Authorization", "Bearer " + READER);

        problem(admin, 403, "forbidden");
        assertThat(admin.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                value -> assertThat(value).contains("insufficient_scope"));
        assertThat(read.statusCode()).isEqualTo(200);
    }

    static Stream<Arguments> badRegistrations() {
        return Stream.of(
                Arguments.of("/api/v1/admin/fields/F-SEC-3", "not json", 400, "invalid-body"),
                Arguments.of("/api/v1/admin/fields/F-SEC-3", "[1,2]", 400, "invalid-body"),
                Arguments.of("/api/v1/admin/fields/F-SEC-3", FIELD_BODY.replace("\"depth_cm\":30", "\"depth\":30"), 400,
                        "invalid-body"),
                Arguments.of("/api/v1/admin/fields/F-SEC-3", FIELD_BODY.replace("2.35", "\"2.35\""), 400,
                        "invalid-body"),
                // In the Bay of Biscay: no country holds the point.
                Arguments.of("/api/v1/admin/fields/F-SEC-3", FIELD_BODY.replace("2.35", "-6.0").replace("48.85", "46.0"),
                        400, "invalid-body"),
                Arguments.of("/api/v1/admin/fields/F-SEC-3", FIELD_BODY.replace("12.5", "-1"), 400, "invalid-body"),
                // Texture comes whole (sand and clay) and describes a possible soil.
                Arguments.of("/api/v1/admin/fields/F-SEC-3", FIELD_BODY.replace("}", ",\"sand_fraction\":0.4}"), 400,
                        "invalid-body"),
                Arguments.of("/api/v1/admin/fields/F-SEC-3",
                        FIELD_BODY.replace("}", ",\"sand_fraction\":0.7,\"clay_fraction\":0.5}"), 400, "invalid-body"),
                Arguments.of("/api/v1/admin/fields/bad%20id", FIELD_BODY, 400, "invalid-body"),
                Arguments.of("/api/v1/admin/fields/F-SEC-3", "{\"pad\":\"" + "x".repeat(20_000) + "\"}", 413,
                        "payload-too-large"),
                Arguments.of("/api/v1/admin/sensors/S-SEC-3", "{\"gateway\":\"\",\"field\":\"F\",\"model\":\"m\"}", 400,
                        "invalid-body"));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("badRegistrations")
    void refusesABadRegistrationWithItsReason(String path, String body, int status, String type) throws Exception {
        JsonNode problem = problem(put(api, path, body, "Authorization", "Bearer " + ADMIN), status, type);

        assertThat(problem.path("detail").asText()).isNotBlank();
    }

    @Test
    void withoutKafkaRegistryWritesAre503() throws Exception {
        HttpResponse<String> response = put(withoutKafka, "/api/v1/admin/fields/F-SEC-4", FIELD_BODY,
                "Authorization", "Bearer " + ADMIN);

        problem(response, 503, "registry-unavailable");
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void aReadOfAnAdminRouteIs405() throws Exception {
        HttpResponse<String> response = get(api, "/api/v1/admin/fields/F-SEC-1", "Authorization", "Bearer " + ADMIN);

        problem(response, 405, "method-not-allowed");
    }

    // ---- rate limit --------------------------------------------------------------------------------------

    @Test
    void anAddressBeyondItsBurstIs429WithRetryAfterButATokenHolderIsNot() throws Exception {
        List<Integer> statuses = new ArrayList<>();
        HttpResponse<String> refused = null;
        // Burst 2 at 1/s: within a handful of back-to-back requests one is refused, however slow the machine.
        for (int i = 0; i < 6 && refused == null; i++) {
            HttpResponse<String> response = get(limited, "/api/v1/areas?level=region");
            statuses.add(response.statusCode());
            if (response.statusCode() == 429) {
                refused = response;
            }
        }
        assertThat(refused).as("statuses " + statuses).isNotNull();
        problem(refused, 429, "rate-limited");
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isPositive();

        assertThat(get(limited, "/api/v1/areas?level=region", "Authorization", "Bearer " + READER).statusCode())
                .isEqualTo(200);
        assertThat(get(limited, "/health").statusCode()).isIn(200, 503);
    }

    // ---- CORS ----------------------------------------------------------------------------------------------

    @Test
    void answersAPreflightOnlyForAnAllowedOrigin() throws Exception {
        HttpResponse<String> allowed = preflight(ALLOWED_ORIGIN);
        HttpResponse<String> refused = preflight("https://evil.example.com");

        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ALLOWED_ORIGIN);
        assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    private static HttpResponse<String> preflight(String origin) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/v1/layers/country?quantity=vwc"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "GET")
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The last record on {@code topic} with {@code key}, read from the beginning. */
    private static ConsumerRecord<String, String> last(String topic, String key) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            ConsumerRecord<String, String> found = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (key.equals(record.key())) {
                        found = record;
                    }
                }
            }
            assertThat(found).as("a record with key " + key + " on " + topic).isNotNull();
            return found;
        }
    }
}
