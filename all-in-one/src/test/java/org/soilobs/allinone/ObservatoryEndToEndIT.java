package org.soilobs.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.soilobs.model.Field;
import org.soilobs.model.Json;
import org.soilobs.model.Level;
import org.soilobs.model.Rejection;
import org.soilobs.model.Resolution;
import org.soilobs.model.Topics;
import org.soilobs.sim.MqttGatewayPublisher;
import org.soilobs.sim.PublishResult;
import org.soilobs.sim.PublishedReading;
import org.soilobs.sim.Scenario;

/**
 * The whole observatory on real servers — HiveMQ, a KRaft Kafka broker, PostgreSQL — fed by the
 * simulator through MQTT. The oracle (DESIGN §2): every PUBACKed reading is in the database or in the
 * dead-letter topic exactly once, and every aggregate equals a recomputation from the published
 * readings, done here independently of the streams code: the statistics from the readings stored with
 * the flags exactly {@code {G}}, the flag counts from every stored reading's flags.
 */
class ObservatoryEndToEndIT {

    private static final long SEED = 20261123L;
    private static final int FIELDS = 60;
    private static final Duration CONVERGENCE = Duration.ofSeconds(180);

    private static Observatory observatory;
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
        awaitTrue(() -> count("SELECT count(*) FROM reading") >= scenario.validReadings().size());

        assertThat(count("SELECT count(*) FROM reading")).isEqualTo(scenario.validReadings().size());
        assertThat(count("SELECT count(DISTINCT (sensor, quantity, time)) FROM reading"))
                .isEqualTo(scenario.validReadings().size());
    }

    @Test
    void rejectedReadingsEqualTheInvalidOnesWithTheirReasons() throws Exception {
        Map<String, Long> expected = scenario.invalidReadings().stream()
                .collect(Collectors.groupingBy(PublishedReading::expectedRejectReason, TreeMap::new,
                        Collectors.counting()));

        List<Rejection> rejections = readRejections(scenario.invalidReadings().size());

        Map<String, Long> actual = rejections.stream()
                .collect(Collectors.groupingBy(Rejection::reason, TreeMap::new, Collectors.counting()));
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void everyAggregateAtEveryLevelEqualsTheReference() throws Exception {
        awaitTrue(() -> count("SELECT count(*) FROM reading") >= scenario.validReadings().size());
        Map<String, List<String>> storedFlags = readStoredFlags();
        assertThat(storedFlags.keySet()).as("every valid reading is stored")
                .containsAll(scenario.validReadings().stream().map(PublishedReading::identity).toList());
        Map<String, Expected> reference = Reference.compute(scenario.validReadings(), storedFlags, fieldsById());
        assertThat(reference.keySet().stream().map(key -> key.split("\\|")[0]).distinct())
                .containsExactlyInAnyOrder("field", "country", "subregion", "region", "world");

        Map<String, Stored> stored = awaitAggregates(reference);

        assertThat(stored.keySet()).isEqualTo(reference.keySet());
        for (Map.Entry<String, Expected> entry : reference.entrySet()) {
            Expected want = entry.getValue();
            Stored got = stored.get(entry.getKey());
            String key = entry.getKey();
            assertThat(got.count()).as("count of %s", key).isEqualTo(want.count());
            assertThat(got.flags()).as("flag counts of %s", key).isEqualTo(want.flags());
            assertThat(got.members()).as("members of %s", key).isEqualTo(want.members());
            assertThat(got.min()).as("min of %s", key).isEqualTo(want.min());
            assertThat(got.max()).as("max of %s", key).isEqualTo(want.max());
            if (want.count() > 0) {
                assertThat(got.sum() / got.count()).as("mean of %s", key).isCloseTo(want.mean(), within(1e-9));
                assertThat(got.areaWeightedSum() / got.areaHa()).as("area-weighted mean of %s", key)
                        .isCloseTo(want.areaWeightedMean(), within(1e-9));
            }
        }
    }

    @Test
    void countryLayerShowsValuesForAtLeastThirtyCountries() throws Exception {
        awaitTrue(() -> count("SELECT count(DISTINCT area) FROM aggregate WHERE level = 'country'") >= 30);
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
        assertThat(withValues).isGreaterThanOrEqualTo(30);
    }

    private static Map<String, Field> fieldsById() {
        return observatory.fleet().fields().stream().collect(Collectors.toMap(Field::id, Function.identity()));
    }

    /** Polls the aggregate table until its counts match the reference, or the time is up. */
    private static Map<String, Stored> awaitAggregates(Map<String, Expected> reference) throws Exception {
        long deadline = System.nanoTime() + CONVERGENCE.toNanos();
        Map<String, Stored> stored = readAggregates();
        while (!countsMatch(stored, reference) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            stored = readAggregates();
        }
        return stored;
    }

    private static boolean countsMatch(Map<String, Stored> stored, Map<String, Expected> reference) {
        return stored.keySet().equals(reference.keySet()) && reference.entrySet().stream().allMatch(entry -> {
            Stored got = stored.get(entry.getKey());
            return got.count() == entry.getValue().count() && got.members() == entry.getValue().members()
                    && got.flags().equals(entry.getValue().flags());
        });
    }

    private static Map<String, Stored> readAggregates() throws SQLException {
        Map<String, Stored> rows = new HashMap<>();
        try (Connection connection = observatory.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("""
                        SELECT level, area, quantity, resolution, bucket, count, sum, min, max, area_ha,
                               area_weighted_sum, members, flags::text
                        FROM aggregate
                        WHERE quantity <> 'soc_stock' -- derived by the carbon job, not recounted from readings
                        """)) {
            while (result.next()) {
                String key = Reference.key(result.getString(1), result.getString(2), result.getString(3),
                        result.getString(4), result.getTimestamp(5).toInstant());
                rows.put(key, new Stored(result.getLong(6), result.getDouble(7), result.getObject(8, Double.class),
                        result.getObject(9, Double.class), result.getDouble(10), result.getDouble(11), result.getInt(12),
                        Json.mapper().readValue(result.getString(13), FLAG_COUNTS)));
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("aggregate flags are not a JSON object of counts", e);
        }
        return rows;
    }

    /** Identity (sensor|quantity|time) → the flags the reading was stored with. */
    private static Map<String, List<String>> readStoredFlags() throws SQLException {
        Map<String, List<String>> flags = new HashMap<>();
        try (Connection connection = observatory.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT sensor, quantity, time, flags FROM reading")) {
            while (result.next()) {
                String identity = result.getString(1) + '|' + result.getString(2) + '|'
                        + result.getTimestamp(3).toInstant();
                flags.put(identity, List.of((String[]) result.getArray(4).getArray()));
            }
        }
        return flags;
    }

    private static List<Rejection> readRejections(int expected) throws Exception {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, observatory.env().get("OBS_KAFKA_BOOTSTRAP"));
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "e2e-rejections");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        List<Rejection> rejections = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(Topics.READINGS_REJECTED));
            long deadline = System.nanoTime() + CONVERGENCE.toNanos();
            // Keep reading a little after the expected number arrived, so that extra rejections show.
            long settleUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settleUntil)) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    rejections.add(Json.mapper().readValue(record.value(), Rejection.class));
                }
                if (rejections.size() >= expected && settleUntil == Long.MAX_VALUE) {
                    settleUntil = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                }
            }
        }
        return rejections;
    }

    private static long count(String sql) {
        try (Connection connection = observatory.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + CONVERGENCE.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
    }

    private static final TypeReference<TreeMap<String, Long>> FLAG_COUNTS = new TypeReference<>() {
    };

    /** {@code min} and {@code max} are null without good readings. */
    record Stored(long count, double sum, Double min, Double max, double areaHa, double areaWeightedSum,
            int members, Map<String, Long> flags) {
    }

    /** {@code min} and {@code max} are null, the means NaN, without good readings. */
    record Expected(long count, double mean, Double min, Double max, double areaWeightedMean, int members,
            Map<String, Long> flags) {
    }

    /**
     * The reference, computed the plain way: group the valid published readings by area and bucket at
     * every level, straight from each field's registration. Every reading counts its stored flags and makes
     * its child a member; only those stored with flags exactly {@code {G}} enter the statistics.
     */
    static final class Reference {

        static String key(String level, String area, String quantity, String resolution, Instant bucket) {
            return String.join("|", level, area, quantity, resolution, bucket.toString());
        }

        static Map<String, Expected> compute(List<PublishedReading> readings, Map<String, List<String>> storedFlags,
                                             Map<String, Field> fields) {
            // (level|area|quantity|resolution|bucket) → field id → that field's good readings in the bucket
            Map<String, Map<String, List<Double>>> byAreaAndField = new TreeMap<>();
            Map<String, Map<String, String>> childOf = new HashMap<>();
            Map<String, Map<String, Long>> flagCounts = new HashMap<>();
            for (PublishedReading reading : readings) {
                Field field = fields.get(reading.field());
                List<String> flags = storedFlags.get(reading.identity());
                boolean good = flags.equals(List.of("G"));
                for (Resolution resolution : Resolution.values()) {
                    Instant bucket = resolution.bucketOf(reading.time());
                    for (Level level : Level.values()) {
                        String area = level == Level.FIELD ? field.id() : field.placement().codeAt(level);
                        String key = key(level.id(), area, reading.quantity(), resolution.id(), bucket);
                        Map<String, List<Double>> perField = byAreaAndField.computeIfAbsent(key, k -> new TreeMap<>());
                        if (good) {
                            perField.computeIfAbsent(field.id(), k -> new ArrayList<>()).add(reading.value());
                        }
                        childOf.computeIfAbsent(key, k -> new HashMap<>()).put(field.id(), child(level, field));
                        flags.forEach(flag -> flagCounts.computeIfAbsent(key, k -> new TreeMap<>()).merge(flag, 1L, Long::sum));
                    }
                }
            }
            Map<String, Expected> expected = new TreeMap<>();
            byAreaAndField.forEach((key, perField) -> {
                List<Double> all = perField.values().stream().flatMap(List::stream).toList();
                double weighted = 0;
                double area = 0;
                for (Map.Entry<String, List<Double>> entry : perField.entrySet()) {
                    double fieldArea = fields.get(entry.getKey()).areaHa();
                    weighted += fieldArea * entry.getValue().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
                    area += fieldArea;
                }
                int members = (int) childOf.get(key).values().stream().distinct().count();
                expected.put(key, new Expected(all.size(),
                        all.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN),
                        all.stream().mapToDouble(Double::doubleValue).boxed().min(Double::compare).orElse(null),
                        all.stream().mapToDouble(Double::doubleValue).boxed().max(Double::compare).orElse(null),
                        weighted / area, members, flagCounts.get(key)));
            });
            return expected;
        }

        /** The member of an area at {@code level} that a field belongs to: the level just below. */
        private static String child(Level level, Field field) {
            return switch (level) {
                case FIELD, COUNTRY -> field.id();
                case SUBREGION -> field.placement().country();
                case REGION -> field.placement().subregion();
                case WORLD -> field.placement().region();
            };
        }
    }
}
