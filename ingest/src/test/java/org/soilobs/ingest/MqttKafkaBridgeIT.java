package org.soilobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soilobs.model.Json;
import org.soilobs.model.Quantity;
import org.soilobs.model.Reading;
import org.soilobs.model.Rejection;
import org.soilobs.model.Sensor;
import org.soilobs.model.Topics;
import org.soilobs.testkit.EmbeddedKafka;
import org.soilobs.testkit.EmbeddedMqttBroker;

/**
 * The delivery oracle (DESIGN §2) against a real MQTT broker and a real Kafka broker: every reading of
 * a PUBACKed message is in {@code soil.readings.raw} or, with its reason, in
 * {@code soil.readings.rejected}.
 */
class MqttKafkaBridgeIT {

    private static final int MESSAGES = 2_000;
    private static final Duration PATIENCE = Duration.ofMinutes(3);
    private static final Instant BASE = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(1));

    @TempDir
    static Path dataDir;

    static EmbeddedKafka kafka;
    static EmbeddedMqttBroker broker;

    @BeforeAll
    static void startServers() throws Exception {
        kafka = EmbeddedKafka.start(dataDir.resolve("kafka"));
        broker = EmbeddedMqttBroker.start(dataDir.resolve("mqtt"));
        kafka.createTopics(List.of(
                new NewTopic(Topics.SENSORS, 1, (short) 1).configs(Map.of("cleanup.policy", "compact")),
                new NewTopic(Topics.READINGS_RAW, 4, (short) 1),
                new NewTopic(Topics.READINGS_REJECTED, 1, (short) 1)));
        Map<String, Sensor> sensors = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            sensors.put("s-" + i, new Sensor("s-" + i, "gw-it-1", "field-" + (i % 3), "canonical"));
        }
        for (int i = 0; i < 5; i++) {
            sensors.put("t-" + i, new Sensor("t-" + i, "gw-it-2", "field-t", "canonical"));
        }
        sensors.put("s-gone", new Sensor("s-gone", "gw-it-1", "field-0", "canonical"));
        KafkaTopics.register(kafka.bootstrapServers(), sensors);
        Map<String, Sensor> tombstone = new LinkedHashMap<>();
        tombstone.put("s-gone", null);
        KafkaTopics.register(kafka.bootstrapServers(), tombstone);
    }

    @AfterAll
    static void stopServers() {
        if (broker != null) {
            broker.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static IngestConfig config(String clientId) {
        return IngestConfig.of(broker.url(), kafka.bootstrapServers()).withClientId(clientId);
    }

    @Test
    void everyPubackedReadingIsForwardedOrDeadLetteredWithItsReason() throws Exception {
        Batches batches = new Batches("gw-it-1", "s-", 10);
        List<String> payloads = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            payloads.add(batches.message(i));
        }

        Set<Integer> pubacked;
        try (IngestApp.Running ingest = IngestApp.start(config("ingest-it-1"));
                TestGateway gateway = new TestGateway(broker.url(), "gw-it-1")) {
            assertThat(ingest.registry().find("s-3")).isPresent();
            assertThat(ingest.registry().find("s-gone")).as("tombstoned").isEmpty();

            pubacked = gateway.publish(payloads);
            assertThat(pubacked).hasSize(MESSAGES);

            Expected expected = batches.expected(pubacked);
            Set<String> forwarded = forwardedIdentities("gw-it-1", expected.readings());
            assertThat(forwarded).containsAll(expected.readings());
            assertThat(forwarded).hasSameSizeAs(expected.readings());

            Set<String> deadLetters = deadLetters("gw-it-1", expected.rejections());
            assertThat(deadLetters).containsExactlyInAnyOrderElementsOf(expected.rejections());

            awaitAllAcked(ingest, MESSAGES);
            IngestMetrics metrics = ingest.metrics();
            assertThat(metrics.receivedMessages()).isGreaterThanOrEqualTo(MESSAGES);
            assertThat(metrics.forwardedReadings()).isGreaterThanOrEqualTo(expected.readings().size());
            assertThat(metrics.rejections("malformed_json")).isGreaterThanOrEqualTo(MESSAGES / 100);
            assertThat(metrics.rejections("unknown_unit")).isGreaterThanOrEqualTo(MESSAGES / 20);
            assertThat(metrics.sendFailures()).isZero();
            assertThat(ingest.meterRegistry().scrape()).contains("ingest_messages_received_total",
                    "ingest_readings_rejected_total{reason=\"gateway_mismatch\"}", "ingest_messages_inflight",
                    "ingest_kafka_send_seconds");
        }
    }

    @Test
    void recordsHaveTheDocumentedKeysAndShapes() throws Exception {
        Instant time = BASE.plusSeconds(50_000);
        String payload = "{\"schema\":\"soil-readings/1\",\"gateway\":\"gw-it-2\",\"seq\":1,\"readings\":["
                + "{\"sensor\":\"t-0\",\"time\":\"" + time + "\",\"quantity\":\"soc\",\"value\":1.74,\"unit\":\"%\"},"
                + "{\"sensor\":\"t-0\",\"time\":\"" + time + "\",\"quantity\":\"vwc\",\"value\":0.2,\"unit\":\"Cel\"}]}";
        try (IngestApp.Running ingest = IngestApp.start(config("ingest-it-shape"));
                TestGateway gateway = new TestGateway(broker.url(), "gw-it-2")) {
            assertThat(ingest.isConnected()).isTrue();
            assertThat(gateway.publish(List.of(payload))).containsExactly(0);

            ConsumerRecord<String, byte[]> raw = KafkaTopics.readUntil(kafka.bootstrapServers(), Topics.READINGS_RAW,
                    records -> records.stream().anyMatch(r -> isAt(r, time)), PATIENCE)
                    .stream().filter(r -> isAt(r, time)).findFirst().orElseThrow();
            assertThat(raw.key()).isEqualTo("t-0");
            assertThat(Json.mapper().readTree(raw.value())).isEqualTo(Json.mapper().readTree(
                    "{\"gateway\":\"gw-it-2\",\"seq\":1,\"sensor\":\"t-0\",\"field\":\"field-t\",\"quantity\":\"soc\","
                            + "\"time\":\"" + time + "\",\"value\":17.4,\"depth_top_cm\":0,\"depth_bottom_cm\":30,"
                            + "\"received_at\":\"" + Json.mapper().readValue(raw.value(), Reading.class).receivedAt()
                            + "\"}"));

            ConsumerRecord<String, byte[]> rejected = KafkaTopics.readUntil(kafka.bootstrapServers(),
                    Topics.READINGS_REJECTED, records -> records.stream().anyMatch(r -> mentions(r, time)), PATIENCE)
                    .stream().filter(r -> mentions(r, time)).findFirst().orElseThrow();
            assertThat(rejected.key()).isEqualTo("gw-it-2");
            Rejection rejection = Json.mapper().readValue(rejected.value(), Rejection.class);
            assertThat(rejection.reason()).isEqualTo("unit_mismatch");
            assertThat(rejection.index()).isEqualTo(1);
            assertThat(rejection.source()).isEqualTo("observatory");
            assertThat(rejection.topic()).isEqualTo("soil/v1/gw-it-2/up");
            assertThat(Json.mapper().readTree(rejected.value()).fieldNames()).toIterable().containsExactly(
                    "reason", "detail", "source", "topic", "received_at", "index", "payload_base64");
        }
    }

    @Test
    void aRestartedIngestGetsWhatWasPublishedWhileItWasAway() throws Exception {
        Batches batches = new Batches("gw-it-2", "t-", 5);
        List<String> before = new ArrayList<>();
        List<String> during = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            (i < 300 ? before : during).add(batches.message(10_000 + i));
        }
        Set<Integer> pubacked = new HashSet<>();
        try (TestGateway gateway = new TestGateway(broker.url(), "gw-it-2")) {
            try (IngestApp.Running first = IngestApp.start(config("ingest-it-restart"))) {
                assertThat(first.isConnected()).isTrue();
                gateway.publish(before).forEach(i -> pubacked.add(10_000 + i));
            }
            // Ingest is away: the broker keeps its session and queues for it.
            gateway.publish(during).forEach(i -> pubacked.add(10_300 + i));
            try (IngestApp.Running second = IngestApp.start(config("ingest-it-restart"))) {
                assertThat(second.isConnected()).isTrue();
                Expected expected = batches.expected(pubacked);
                Set<String> forwarded = forwardedIdentities("gw-it-2", expected.readings());
                assertThat(forwarded).containsAll(expected.readings());
                assertThat(deadLetters("gw-it-2", expected.rejections())).containsAll(expected.rejections());
            }
        }
        assertThat(pubacked).hasSize(600);
    }

    @Test
    void followsSensorsRegisteredAndRemovedWhileRunning() throws Exception {
        try (IngestApp.Running ingest = IngestApp.start(config("ingest-it-registry"))) {
            assertThat(ingest.registry().find("s-late")).isEmpty();

            KafkaTopics.register(kafka.bootstrapServers(),
                    Map.of("s-late", new Sensor("s-late", "gw-it-1", "field-late", "canonical")));
            awaitRegistry(() -> ingest.registry().find("s-late").isPresent());
            assertThat(ingest.registry().find("s-late")).hasValueSatisfying(
                    sensor -> assertThat(sensor.field()).isEqualTo("field-late"));

            Map<String, Sensor> tombstone = new LinkedHashMap<>();
            tombstone.put("s-late", null);
            KafkaTopics.register(kafka.bootstrapServers(), tombstone);
            awaitRegistry(() -> ingest.registry().find("s-late").isEmpty());
            assertThat(ingest.registry().find("s-late")).isEmpty();
        }
    }

    private static void awaitRegistry(BooleanSupplier condition)
            throws InterruptedException {
        Instant giveUp = Instant.now().plus(PATIENCE);
        while (!condition.getAsBoolean() && Instant.now().isBefore(giveUp)) {
            Thread.sleep(20);
        }
    }

    private static boolean isAt(ConsumerRecord<String, byte[]> record, Instant time) {
        return new String(record.value(), StandardCharsets.UTF_8).contains("\"time\":\"" + time + "\"");
    }

    private static boolean mentions(ConsumerRecord<String, byte[]> record, Instant time) {
        try {
            Rejection rejection = Json.mapper().readValue(record.value(), Rejection.class);
            return new String(Base64.getDecoder().decode(rejection.payloadBase64()), StandardCharsets.UTF_8)
                    .contains(time.toString());
        } catch (Exception e) {
            return false;
        }
    }

    private static void awaitAllAcked(IngestApp.Running ingest, int messages) throws InterruptedException {
        Instant giveUp = Instant.now().plus(PATIENCE);
        while (ingest.metrics().ackedMessages() < messages && Instant.now().isBefore(giveUp)) {
            Thread.sleep(50);
        }
        assertThat(ingest.metrics().ackedMessages()).isGreaterThanOrEqualTo(messages);
    }

    private static Set<String> forwardedIdentities(String gateway, Set<String> expected) {
        return KafkaTopics.readUntil(kafka.bootstrapServers(), Topics.READINGS_RAW,
                        records -> identities(records, gateway).containsAll(expected), PATIENCE)
                .stream().collect(Collectors.collectingAndThen(Collectors.toList(), r -> identities(r, gateway)));
    }

    private static Set<String> identities(List<ConsumerRecord<String, byte[]>> records, String gateway) {
        Set<String> identities = new HashSet<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            Reading reading = read(record.value(), Reading.class);
            if (reading.gateway().equals(gateway)) {
                assertThat(record.key()).isEqualTo(reading.sensor());
                identities.add(reading.identity());
            }
        }
        return identities;
    }

    private static Set<String> deadLetters(String gateway, Set<String> expected) {
        return KafkaTopics.readUntil(kafka.bootstrapServers(), Topics.READINGS_REJECTED,
                        records -> deadLetters(records, gateway).containsAll(expected), PATIENCE)
                .stream().collect(Collectors.collectingAndThen(Collectors.toList(), r -> deadLetters(r, gateway)));
    }

    /** Each dead letter of {@code gateway} as {@code reason|index|payload}. */
    private static Set<String> deadLetters(List<ConsumerRecord<String, byte[]>> records, String gateway) {
        Set<String> letters = new HashSet<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            if (gateway.equals(record.key())) {
                Rejection rejection = read(record.value(), Rejection.class);
                letters.add(rejection.reason() + "|" + rejection.index() + "|"
                        + new String(Base64.getDecoder().decode(rejection.payloadBase64()), StandardCharsets.UTF_8));
            }
        }
        return letters;
    }

    private static <T> T read(byte[] json, Class<T> type) {
        try {
            return Json.mapper().readValue(json, type);
        } catch (Exception e) {
            throw new AssertionError("not a " + type.getSimpleName() + ": " + new String(json, StandardCharsets.UTF_8), e);
        }
    }

    record Expected(Set<String> readings, Set<String> rejections) {
    }

    /**
     * Message {@code i} of a test gateway: mostly three good readings, with bad ones mixed in by rule, so
     * that what each PUBACKed message owes can be recomputed from its number.
     */
    static final class Batches {

        private final String gateway;
        private final String sensorPrefix;
        private final int sensors;

        Batches(String gateway, String sensorPrefix, int sensors) {
            this.gateway = gateway;
            this.sensorPrefix = sensorPrefix;
            this.sensors = sensors;
        }

        String message(int i) {
            if (i % 100 == 1) {
                return "{\"schema\":\"soil-readings/1\",\"seq\":" + i + ",";
            }
            if (i % 100 == 2) {
                return batch("gw-elsewhere", i, List.of(good(i, "soc", "17.4", "g/kg")));
            }
            if (i % 250 == 3) {
                return batch(gateway, i, List.of());
            }
            List<String> readings = new ArrayList<>(List.of(
                    good(i, "soc", String.valueOf(10 + i % 7), "g/kg"),
                    good(i, "vwc", "23.1", "%"),
                    good(i, "soil_temperature", "9.6", "Cel")));
            if (i % 20 == 0) {
                readings.add(reading(sensor(i), i, "ec", "0.4", "furlong"));
            }
            if (i % 50 == 7) {
                readings.add(reading("s-gone", i, "ph", "6.5", "[pH]"));
            }
            return batch(gateway, i, readings);
        }

        Expected expected(Set<Integer> pubacked) {
            Set<String> readings = new HashSet<>();
            Set<String> rejections = new HashSet<>();
            for (int i : pubacked) {
                String payload = message(i);
                if (i % 100 == 1) {
                    rejections.add("malformed_json|-1|" + payload);
                } else if (i % 100 == 2) {
                    rejections.add("gateway_mismatch|-1|" + payload);
                } else if (i % 250 != 3) {
                    for (String quantity : List.of("soc", "vwc", "soil_temperature")) {
                        readings.add(sensor(i) + "|" + Quantity.fromId(quantity).id() + "|" + time(i));
                    }
                    int index = 3;
                    if (i % 20 == 0) {
                        rejections.add("unknown_unit|" + index++ + "|" + reading(sensor(i), i, "ec", "0.4", "furlong"));
                    }
                    if (i % 50 == 7) {
                        rejections.add("unknown_sensor|" + index + "|" + reading("s-gone", i, "ph", "6.5", "[pH]"));
                    }
                }
            }
            return new Expected(readings, rejections);
        }

        private String sensor(int i) {
            return sensorPrefix + (i % sensors);
        }

        private static Instant time(int i) {
            return BASE.plusSeconds(i);
        }

        private String good(int i, String quantity, String value, String unit) {
            return reading(sensor(i), i, quantity, value, unit);
        }

        private static String reading(String sensor, int i, String quantity, String value, String unit) {
            return "{\"sensor\":\"" + sensor + "\",\"time\":\"" + time(i) + "\",\"quantity\":\"" + quantity
                    + "\",\"value\":" + value + ",\"unit\":\"" + unit + "\"}";
        }

        private static String batch(String gateway, int seq, List<String> readings) {
            return "{\"schema\":\"soil-readings/1\",\"gateway\":\"" + gateway + "\",\"seq\":" + seq + ",\"readings\":["
                    + String.join(",", readings) + "]}";
        }
    }
}
