package org.soilobs.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.soilobs.allinone.Oracle;
import org.soilobs.model.Json;
import org.soilobs.model.Rejection;
import org.soilobs.model.Topics;
import org.soilobs.testkit.EmbeddedKafka;
import org.soilobs.testkit.EmbeddedMqttBroker;
import org.soilobs.testkit.EmbeddedPostgres;

/**
 * One observatory on a single Kafka broker, HiveMQ and PostgreSQL, through a sequence of faults, each
 * injected while gateways publish and each followed by DESIGN §2's oracle over everything published
 * so far: a poison record in {@code soil.readings.raw}, a Kafka broker restart, a graceful MQTT broker
 * restart, a PostgreSQL restart. The phases build on each other, so they run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SingleNodeFaultsIT {

    private static Path dir;
    private static EmbeddedKafka kafka;
    private static EmbeddedMqttBroker mqtt;
    private static EmbeddedPostgres postgres;
    private static FaultRun run;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("faults-single-node");
        kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        mqtt = EmbeddedMqttBroker.start(dir.resolve("mqtt"));
        postgres = EmbeddedPostgres.builder(dir.resolve("postgres")).durable(true).start();
        run = FaultRun.start(dir.resolve("observatory"), mqtt.url(), kafka.bootstrapServers(), Map.of(
                "OBS_DB_URL", postgres.jdbcUrl(),
                "OBS_DB_USER", postgres.user(),
                "OBS_DB_PASSWORD", postgres.password()));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {run, postgres, mqtt, kafka}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // Still stop the others.
            }
        }
    }

    @Test
    @Order(1)
    void aPoisonRecordInTheRawTopicIsDeadLetteredAndStreamsKeepsRunning() throws Exception {
        byte[] garbage = new byte[] {(byte) 0xFF, 0x00, (byte) 0xC3, 0x28, 'p', 'o', 'i', 's', 'o', 'n'};
        byte[] wrongJson = "{\"sensor\":42,\"readings\":\"not a reading\"}".getBytes(StandardCharsets.UTF_8);
        byte[] notJson = "[[[[[[[[ this is not JSON".getBytes(StandardCharsets.UTF_8);
        List<byte[]> poison = List.of(garbage, wrongJson, notJson);

        FaultRun.Phase phase = run.phase("poison-record", () -> {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                    new ByteArraySerializer())) {
                for (byte[] value : poison) {
                    producer.send(new ProducerRecord<>(Topics.READINGS_RAW, "poison", value)).get();
                }
                producer.send(new ProducerRecord<>(Topics.READINGS_RAW, null, garbage)).get();
            }
        });

        // The oracle held after the poison: streams went on enriching and aggregating every reading.
        assertThat(phase.oracle().storedReadings()).isPositive();
        Set<String> expected = poison.stream().map(Base64.getEncoder()::encodeToString).collect(Collectors.toSet());
        List<Rejection> fromStreams = streamsDeadLetters(expected);
        assertThat(fromStreams.stream().map(Rejection::payloadBase64).collect(Collectors.toSet())).containsAll(expected);
        assertThat(fromStreams).allSatisfy(rejection -> {
            assertThat(rejection.reason()).isEqualTo("malformed_record");
            assertThat(rejection.topic()).isEqualTo(Topics.READINGS_RAW);
            assertThat(rejection.detail()).isNotBlank();
        });
    }

    @Test
    @Order(2)
    void aKafkaBrokerRestartLosesNothingAndCountsNothingTwice() throws Exception {
        run.phase("kafka-restart", () -> kafka = kafka.restart());
    }

    @Test
    @Order(3)
    void aGracefulMqttBrokerRestartLosesNothingAndCountsNothingTwice() throws Exception {
        run.phase("mqtt-restart", () -> mqtt = mqtt.restart());
    }

    @Test
    @Order(4)
    void aPostgresqlRestartLosesNothingAndCountsNothingTwice() throws Exception {
        int port = postgres.port();
        run.phase("postgresql-restart", () -> {
            postgres.close();
            // Down long enough for the sink to fail writes and back off.
            TimeUnit.SECONDS.sleep(10);
            postgres = EmbeddedPostgres.builder(dir.resolve("postgres")).port(port).durable(true).start();
        });
    }

    /** Streams' dead letters (source {@code streams}), read committed, until those of {@code payloads} are there. */
    private static List<Rejection> streamsDeadLetters(Set<String> payloads) throws Exception {
        List<Rejection> found = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = Oracle.deadLetterConsumer(kafka.bootstrapServers())) {
            long deadline = System.nanoTime() + Oracle.CONVERGENCE.toNanos();
            while (System.nanoTime() < deadline
                    && !found.stream().map(Rejection::payloadBase64).collect(Collectors.toSet()).containsAll(payloads)) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Rejection rejection = Json.mapper().readValue(record.value(), Rejection.class);
                    if ("streams".equals(rejection.source())) {
                        found.add(rejection);
                    }
                }
            }
        }
        return found;
    }
}
