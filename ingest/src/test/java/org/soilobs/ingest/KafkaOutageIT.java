package org.soilobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soilobs.ingest.bridge.KafkaSettings;
import org.soilobs.ingest.bridge.MqttKafkaBridge;
import org.soilobs.ingest.decode.CanonicalDecoder;
import org.soilobs.ingest.decode.PayloadDecoding;
import org.soilobs.ingest.registry.SensorRegistry;
import org.soilobs.model.Json;
import org.soilobs.model.Reading;
import org.soilobs.model.Sensor;
import org.soilobs.model.Topics;
import org.soilobs.testkit.EmbeddedKafka;
import org.soilobs.testkit.EmbeddedMqttBroker;
import org.soilobs.testkit.FreePorts;

/**
 * Kafka goes away while gateways keep publishing: the bridge must not acknowledge what Kafka did not
 * take, and once Kafka is back every PUBACKed reading arrives (redelivered by the broker).
 */
class KafkaOutageIT {

    private static final Duration PATIENCE = Duration.ofMinutes(3);
    private static final Instant BASE = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(1));

    @TempDir
    Path dataDir;

    @Test
    void readingsPublishedWhileKafkaIsDownArriveOnceItIsBack() throws Exception {
        int kafkaPort = FreePorts.next();
        Path kafkaDir = dataDir.resolve("kafka");
        EmbeddedKafka kafka = EmbeddedKafka.start(kafkaDir, kafkaPort);
        try (EmbeddedMqttBroker broker = EmbeddedMqttBroker.start(dataDir.resolve("mqtt"))) {
            kafka.createTopics(List.of(new NewTopic(Topics.READINGS_RAW, 2, (short) 1),
                    new NewTopic(Topics.READINGS_REJECTED, 1, (short) 1)));
            SensorRegistry registry = new SensorRegistry();
            registry.put(new Sensor("o-1", "gw-outage", "field-o", "canonical"));
            IngestConfig config = IngestConfig.of(broker.url(), kafka.bootstrapServers()).withClientId("ingest-outage");
            IngestMetrics metrics = new IngestMetrics(new SimpleMeterRegistry());
            String bootstrap = kafka.bootstrapServers();

            try (MqttKafkaBridge bridge = new MqttKafkaBridge(config, config.sources().get(0),
                    new PayloadDecoding(List.of(new CanonicalDecoder(registry)), config.maxPayloadBytes()),
                    () -> new KafkaProducer<>(impatientProducer(bootstrap)), metrics, Clock.systemUTC());
                    TestGateway gateway = new TestGateway(broker.url(), "gw-outage")) {
                bridge.start();
                assertThat(bridge.awaitConnected(Duration.ofSeconds(60))).isTrue();

                Set<Integer> pubacked = new HashSet<>(gateway.publish(messages(0, 200)));
                awaitUntil(() -> metrics.ackedMessages() >= 200);

                kafka.close();
                gateway.publish(messages(200, 200)).forEach(i -> pubacked.add(200 + i));
                awaitUntil(() -> metrics.sendFailures() > 0 && metrics.connects() >= 2);
                long ackedWhileDown = metrics.ackedMessages();

                kafka = EmbeddedKafka.start(kafkaDir, kafkaPort);
                Set<String> expected = new HashSet<>();
                pubacked.forEach(i -> expected.add("o-1|vwc|" + BASE.plusSeconds(i)));
                Set<String> forwarded = identities(KafkaTopics.readUntil(kafka.bootstrapServers(), Topics.READINGS_RAW,
                        records -> identities(records).containsAll(expected), PATIENCE));

                assertThat(pubacked).hasSize(400);
                assertThat(forwarded).containsAll(expected);
                assertThat(ackedWhileDown).as("nothing acknowledged while Kafka was down").isEqualTo(200);
                awaitUntil(() -> metrics.ackedMessages() >= 400);
            }
        } finally {
            kafka.close();
        }
    }

    private static Properties impatientProducer(String bootstrap) {
        Properties props = KafkaSettings.producerProperties(bootstrap, "ingest-outage-producer");
        props.putAll(Map.of(
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "3000",
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "1000",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, "1000"));
        return props;
    }

    private static List<String> messages(int from, int count) {
        List<String> messages = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            messages.add("{\"schema\":\"soil-readings/1\",\"gateway\":\"gw-outage\",\"seq\":" + i + ",\"readings\":["
                    + "{\"sensor\":\"o-1\",\"time\":\"" + BASE.plusSeconds(i) + "\",\"quantity\":\"vwc\",\"value\":0.2,"
                    + "\"unit\":\"m3/m3\"}]}");
        }
        return messages;
    }

    private static Set<String> identities(List<ConsumerRecord<String, byte[]>> records) {
        Set<String> identities = new HashSet<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                identities.add(Json.mapper().readValue(record.value(), Reading.class).identity());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        return identities;
    }

    private static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
        Instant giveUp = Instant.now().plus(PATIENCE);
        while (!condition.getAsBoolean() && Instant.now().isBefore(giveUp)) {
            Thread.sleep(50);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }
}
