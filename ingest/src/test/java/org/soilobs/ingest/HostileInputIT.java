package org.soilobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soilobs.model.Json;
import org.soilobs.model.Reading;
import org.soilobs.model.Sensor;
import org.soilobs.model.Topics;
import org.soilobs.testkit.EmbeddedKafka;
import org.soilobs.testkit.EmbeddedMqttBroker;
import org.soilobs.testkit.MqttTestClient;

/**
 * Hostile payloads through the real path (MQTT broker → ingest → Kafka), each published between two
 * good batches: every hostile message is PUBACKed and dead-lettered with its reason, every good
 * reading arrives, and ingest keeps running throughout. Each hostile case publishes as a gateway of
 * its own, so its dead letters are told apart by their key.
 */
class HostileInputIT {

    private static final Duration PATIENCE = Duration.ofMinutes(3);
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final int MIB = 1024 * 1024;
    /**
     * Dead letters carry the original bytes in base64, longer than {@link Json#MAX_STRING_LENGTH} for a
     * message above ~48 KiB, so {@code Json.mapper()} cannot read them back: a reader of the dead-letter
     * topic needs a larger string limit.
     */
    private static final com.fasterxml.jackson.databind.ObjectMapper DEAD_LETTERS = new com.fasterxml.jackson.databind.ObjectMapper(
            com.fasterxml.jackson.core.JsonFactory.builder().streamReadConstraints(
                    com.fasterxml.jackson.core.StreamReadConstraints.builder().maxStringLength(4 * MIB).build()).build());

    @TempDir
    static Path dir;

    static EmbeddedKafka kafka;
    static EmbeddedMqttBroker broker;

    /** A hostile message and the reasons its dead letters must carry. */
    record Case(String name, byte[] payload, Set<String> reasons) {
        String gateway() {
            return "hostile-" + name;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        broker = EmbeddedMqttBroker.start(dir.resolve("mqtt"));
        kafka.createTopics(List.of(
                new NewTopic(Topics.SENSORS, 1, (short) 1).configs(Map.of("cleanup.policy", "compact")),
                new NewTopic(Topics.READINGS_RAW, 4, (short) 1),
                new NewTopic(Topics.READINGS_REJECTED, 1, (short) 1).configs(Map.of("max.message.bytes",
                        String.valueOf(2 * MIB)))));
        Map<String, Sensor> sensors = new LinkedHashMap<>();
        sensors.put("good-1", new Sensor("good-1", "gw-good", "field-good", "canonical"));
        for (Case c : cases()) {
            sensors.put("h-" + c.name(), new Sensor("h-" + c.name(), c.gateway(), "field-hostile", "canonical"));
        }
        KafkaTopics.register(kafka.bootstrapServers(), sensors);
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("nesting-10000", ascii("{\"readings\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}"),
                Set.of("malformed_json")));
        cases.add(new Case("senml-nesting-10000", ascii("[".repeat(10_000) + "]".repeat(10_000)), Set.of("malformed_json")));
        cases.add(new Case("string-1mb", batch("h-string-1mb", "\"time\":\"" + NOW + "\",\"quantity\":\"soc\",\"value\":1,"
                + "\"unit\":\"" + "x".repeat(MIB) + "\""), Set.of("payload_too_large")));
        cases.add(new Case("string-100kb", batch("h-string-100kb", "\"time\":\"" + NOW + "\",\"quantity\":\""
                + "q".repeat(100 * 1024) + "\",\"value\":1,\"unit\":\"%\""), Set.of("malformed_json")));
        cases.add(new Case("number-2000-digits", batch("h-number-2000-digits", "\"time\":\"" + NOW
                + "\",\"quantity\":\"soc\",\"value\":" + "9".repeat(2000) + ",\"unit\":\"%\""), Set.of("malformed_json")));
        cases.add(new Case("nan", batch("h-nan", "\"time\":\"" + NOW + "\",\"quantity\":\"soc\",\"value\":NaN,\"unit\":\"%\""),
                Set.of("malformed_json")));
        cases.add(new Case("infinity", batch("h-infinity", "\"time\":\"" + NOW
                + "\",\"quantity\":\"soc\",\"value\":-Infinity,\"unit\":\"%\""), Set.of("malformed_json")));
        cases.add(new Case("nan-string", batch("h-nan-string", "\"time\":\"" + NOW
                + "\",\"quantity\":\"soc\",\"value\":\"NaN\",\"unit\":\"%\""), Set.of("invalid_value")));
        cases.add(new Case("overflow-1e400", batch("h-overflow-1e400", "\"time\":\"" + NOW
                + "\",\"quantity\":\"soc\",\"value\":1e400,\"unit\":\"%\""), Set.of("invalid_value")));
        cases.add(new Case("duplicate-keys", ascii("{\"schema\":\"soil-readings/1\",\"gateway\":\"hostile-duplicate-keys\","
                + "\"gateway\":\"gw-good\",\"seq\":1,\"readings\":[]}"), Set.of("malformed_json")));
        cases.add(new Case("duplicate-value", batch("h-duplicate-value", "\"time\":\"" + NOW
                + "\",\"quantity\":\"soc\",\"value\":1,\"value\":900,\"unit\":\"%\""), Set.of("malformed_json")));
        cases.add(new Case("invalid-utf8", invalidUtf8(), Set.of("malformed_json")));
        cases.add(new Case("binary-garbage", garbage(), Set.of("malformed_json")));
        cases.add(new Case("empty", new byte[0], Set.of("malformed_json")));
        cases.add(new Case("readings-not-an-array", ascii("{\"schema\":\"soil-readings/1\",\"gateway\":"
                + "\"hostile-readings-not-an-array\",\"seq\":1,\"readings\":\"many\"}"), Set.of("invalid_batch")));
        cases.add(new Case("value-boolean", batch("h-value-boolean", "\"time\":\"" + NOW
                + "\",\"quantity\":\"soc\",\"value\":true,\"unit\":\"%\""), Set.of("invalid_value")));
        cases.add(new Case("time-number", batch("h-time-number", "\"time\":1700000000,\"quantity\":\"soc\","
                + "\"value\":1,\"unit\":\"%\""), Set.of("invalid_time")));
        cases.add(new Case("oversize-600kb", ascii("{\"pad\":\"" + "p".repeat(600 * 1024) + "\"}"), Set.of("payload_too_large")));
        cases.add(new Case("time-year-9999", batch("h-time-year-9999", "\"time\":\"9999-12-31T23:59:59Z\","
                + "\"quantity\":\"soc\",\"value\":1,\"unit\":\"%\""), Set.of("time_in_future")));
        cases.add(new Case("time-tomorrow", batch("h-time-tomorrow", "\"time\":\"" + NOW.plus(Duration.ofDays(1))
                + "\",\"quantity\":\"soc\",\"value\":1,\"unit\":\"%\""), Set.of("time_in_future")));
        cases.add(new Case("time-year-1", batch("h-time-year-1", "\"time\":\"0001-01-01T00:00:00Z\","
                + "\"quantity\":\"soc\",\"value\":1,\"unit\":\"%\""), Set.of("invalid_time")));
        cases.add(new Case("time-year-billion", batch("h-time-year-billion", "\"time\":\"+1000000000-01-01T00:00:00Z\","
                + "\"quantity\":\"soc\",\"value\":1,\"unit\":\"%\""), Set.of("invalid_time")));
        return cases;
    }

    @Test
    void everyHostileMessageIsDeadLetteredWithItsReasonWhileGoodDataKeepsFlowing() throws Exception {
        List<Case> cases = cases();
        Set<String> goodTimes = new HashSet<>();
        try (IngestApp.Running ingest = IngestApp.start(IngestConfig.of(broker.url(), kafka.bootstrapServers())
                .withClientId("ingest-hostile"))) {
            try (MqttTestClient good = MqttTestClient.connect(broker.url(), "hostile-it-good")) {
                for (int i = 0; i <= cases.size(); i++) {
                    Instant time = NOW.minus(Duration.ofHours(2)).plusSeconds(i);
                    goodTimes.add(time.toString());
                    assertThat(good.publish("soil/v1/gw-good/up", goodBatch(time))).isEqualTo(MqttTestClient.SUCCESS);
                    if (i < cases.size()) {
                        Case c = cases.get(i);
                        try (MqttTestClient hostile = MqttTestClient.connect(broker.url(), "it-" + c.gateway())) {
                            assertThat(hostile.publish("soil/v1/" + c.gateway() + "/up", c.payload()))
                                    .as(c.name()).isEqualTo(MqttTestClient.SUCCESS);
                        }
                    }
                }
            }

            List<ConsumerRecord<String, byte[]>> raw = KafkaTopics.readUntil(kafka.bootstrapServers(),
                    Topics.READINGS_RAW, records -> goodTimesIn(records).containsAll(goodTimes), PATIENCE);
            assertThat(goodTimesIn(raw)).as("good readings forwarded").containsAll(goodTimes);
            assertThat(raw).as("nothing hostile forwarded").allMatch(r -> "good-1".equals(r.key()));

            Map<String, Set<String>> expected = new TreeMap<>();
            cases.forEach(c -> expected.put(c.gateway(), c.reasons()));
            List<ConsumerRecord<String, byte[]>> rejected = KafkaTopics.readUntil(kafka.bootstrapServers(),
                    Topics.READINGS_REJECTED, records -> reasons(records).keySet().containsAll(expected.keySet()), PATIENCE);
            assertThat(reasons(rejected)).isEqualTo(expected);
            for (ConsumerRecord<String, byte[]> record : rejected) {
                String detail = DEAD_LETTERS.readTree(record.value()).path("detail").asText();
                assertThat(detail).as(record.key()).isNotBlank().hasSizeLessThan(2_000);
            }
            assertThat(ingest.isConnected()).isTrue();
            assertThat(ingest.metrics().sendFailures()).isZero();
        }
    }

    private static Set<String> goodTimesIn(List<ConsumerRecord<String, byte[]>> records) {
        Set<String> times = new HashSet<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                times.add(Json.mapper().readValue(record.value(), Reading.class).time().toString());
            } catch (java.io.IOException e) {
                throw new AssertionError("ingest forwarded an unreadable record", e);
            }
        }
        return times;
    }

    private static Map<String, Set<String>> reasons(List<ConsumerRecord<String, byte[]>> records) {
        Map<String, Set<String>> reasons = new TreeMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            if (record.key() != null && record.key().startsWith("hostile-")) {
                try {
                    reasons.computeIfAbsent(record.key(), k -> new java.util.TreeSet<>())
                            .add(DEAD_LETTERS.readTree(record.value()).path("reason").asText());
                } catch (java.io.IOException e) {
                    throw new AssertionError("unreadable dead letter", e);
                }
            }
        }
        return reasons;
    }

    private static byte[] goodBatch(Instant time) {
        return batchOf("gw-good", "good-1", "\"time\":\"" + time + "\",\"quantity\":\"soc\",\"value\":1.5,\"unit\":\"%\"");
    }

    private static byte[] batch(String sensor, String fields) {
        return batchOf("hostile-" + sensor.substring(2), sensor, fields);
    }

    private static byte[] batchOf(String gateway, String sensor, String fields) {
        return ascii("{\"schema\":\"soil-readings/1\",\"gateway\":\"" + gateway + "\",\"seq\":1,\"readings\":["
                + "{\"sensor\":\"" + sensor + "\"," + fields + "}]}");
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] invalidUtf8() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ascii("{\"schema\":\"soil-readings/1\",\"gateway\":\"hostile-invalid-utf8\",\"seq\":1,\"readings\":[{\"sensor\":\"h-"));
        out.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xED, (byte) 0xA0, (byte) 0x80});
        out.writeBytes(ascii("\",\"time\":\"" + NOW + "\",\"quantity\":\"soc\",\"value\":1,\"unit\":\"%\"}]}"));
        return out.toByteArray();
    }

    private static byte[] garbage() {
        byte[] bytes = new byte[4096];
        new java.util.Random(10).nextBytes(bytes);
        return bytes;
    }
}
