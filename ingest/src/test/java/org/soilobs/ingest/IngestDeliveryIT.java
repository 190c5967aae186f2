package org.soilobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soilobs.ingest.ExternalProcesses.IngestProcess;
import org.soilobs.ingest.ExternalProcesses.Mosquitto;
import org.soilobs.ingest.Samples.Expected;
import org.soilobs.ingest.Samples.Sample;
import org.soilobs.ingest.bridge.SourceType;
import org.soilobs.model.Json;
import org.soilobs.model.Reading;
import org.soilobs.model.Rejection;
import org.soilobs.model.Sensor;
import org.soilobs.model.Topics;
import org.soilobs.testkit.EmbeddedKafka;
import org.soilobs.testkit.EmbeddedMqttBroker;

/**
 * Delivery with real clients and real failures: {@code mosquitto_pub} publishing every payload sample
 * through three MQTT sources; SIGKILL of an ingest JVM while gateways publish, against HiveMQ and against
 * Mosquitto; two instances sharing one subscription.
 */
class IngestDeliveryIT {

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
        Samples.sensors().forEach(sensor -> sensors.put(sensor.id(), sensor));
        for (String gateway : List.of("gw-kill-1", "gw-kill-2", "gw-kill-3", "gw-mq-1", "gw-mq-2", "gw-share", "gw-share-2")) {
            sensors.put("p-" + gateway, new Sensor("p-" + gateway, gateway, "field-" + gateway, "canonical"));
        }
        KafkaTopics.register(kafka.bootstrapServers(), sensors);
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

    @Test
    void everySampleFilePublishedByMosquittoPubLandsAsItsReadingsOrItsReasons() throws Exception {
        IngestConfig config = IngestConfig.of(broker.url(), kafka.bootstrapServers()).withClientId("ingest-samples")
                .withExtraSources(List.of(
                        new MqttSource("ttn", SourceType.TTN_V3, broker.url(), SourceType.TTN_V3.defaultFilter(), null,
                                null, "ingest-samples-ttn"),
                        new MqttSource("chirpstack", SourceType.CHIRPSTACK_V4, broker.url(),
                                SourceType.CHIRPSTACK_V4.defaultFilter(), null, null, "ingest-samples-chirpstack")));
        Path log = dataDir.resolve("mosquitto_pub.log");
        List<Sample> samples = Samples.all();
        try (IngestApp.Running ingest = IngestApp.start(config)) {
            for (Sample sample : samples) {
                Path file = dataDir.resolve(sample.file());
                Files.write(file, sample.bytes());
                assertThat(ExternalProcesses.mosquittoPub(broker.port(), sample.topic(), file, "pub-" + sample.file()
                        .replace('.', '-'), log)).as("mosquitto_pub of %s was PUBACKed", sample.file()).isTrue();
            }

            int readings = samples.stream().mapToInt(s -> s.readings().size()).sum();
            List<Reading> raw = KafkaTopics.readUntil(kafka.bootstrapServers(), Topics.READINGS_RAW,
                    records -> sampleReadings(records).size() >= readings, PATIENCE).stream()
                    .collect(ArrayList::new, (list, r) -> list.addAll(sampleReadings(List.of(r))), ArrayList::addAll);
            int rejections = samples.stream().mapToInt(s -> s.rejections().size()).sum();
            List<Rejection> rejected = KafkaTopics.readUntil(kafka.bootstrapServers(), Topics.READINGS_REJECTED,
                    records -> sampleRejections(records, samples).size() >= rejections, PATIENCE).stream()
                    .collect(ArrayList::new, (list, r) -> list.addAll(sampleRejections(List.of(r), samples)),
                            ArrayList::addAll);

            for (Sample sample : samples) {
                assertThat(rejected.stream().filter(r -> isOf(r, sample)).map(Rejection::reason))
                        .as("dead letters of %s", sample.file()).containsExactlyElementsOf(sample.rejections());
                for (Expected expected : sample.readings()) {
                    assertThat(raw).as("%s of %s", expected.quantity(), sample.file()).filteredOn(r ->
                            r.sensor().equals(expected.sensor()) && r.quantity() == expected.quantity()
                                    && r.time().equals(expected.time()))
                            .singleElement().satisfies(reading -> {
                                assertThat(reading.value()).isCloseTo(expected.value(), within(1e-9));
                                assertThat(reading.gateway()).isEqualTo(sample.gateway());
                                assertThat(reading.field()).isEqualTo(expected.field());
                                assertThat(reading.depthBottomCm()).isEqualTo(expected.bottom());
                            });
                }
            }
            assertThat(raw).hasSize(readings);
            assertThat(ingest.metrics().sendFailures()).isZero();
        }
    }

    @Test
    void aKilledIngestProcessLosesNoPubackedMessageOnHivemq() throws Exception {
        assertNothingPubackedIsLost(broker.url(), "ingest-kill-hivemq", List.of("gw-kill-1", "gw-kill-2", "gw-kill-3"),
                dataDir.resolve("ingest-hivemq.log"));
    }

    @Test
    void aKilledIngestProcessLosesNoPubackedMessageOnMosquitto() throws Exception {
        try (Mosquitto mosquitto = new Mosquitto(dataDir.resolve("mosquitto"))) {
            assertNothingPubackedIsLost(mosquitto.url(), "ingest-kill-mosquitto", List.of("gw-mq-1", "gw-mq-2"),
                    dataDir.resolve("ingest-mosquitto.log"));
        }
    }

    @Test
    void twoInstancesOnTheSharedSubscriptionSplitTheLoadAndForwardEverythingOnMosquitto() throws Exception {
        try (Mosquitto mosquitto = new Mosquitto(dataDir.resolve("mosquitto-share"))) {
            assertTwoInstancesForwardEverything(mosquitto.url(), "gw-share", true);
        }
    }

    /**
     * The embedded HiveMQ CE gave every message of the burst to one member of the share group in our runs,
     * even with a receive maximum of 1 (the other member stays idle, a standby): together they still
     * forward everything exactly as one would.
     */
    @Test
    void twoInstancesOnTheSharedSubscriptionForwardEverythingOnHivemq() throws Exception {
        assertTwoInstancesForwardEverything(broker.url(), "gw-share-2", false);
    }

    private static void assertTwoInstancesForwardEverything(String brokerUrl, String gatewayId, boolean mustSplit)
            throws Exception {
        int messages = 1_000;
        List<String> payloads = new ArrayList<>();
        for (int seq = 0; seq < messages; seq++) {
            payloads.add(batch(gatewayId, seq));
        }
        // One message in flight per instance: while one waits for Kafka's ack, the broker must hand the next
        // message to the other.
        IngestConfig config = IngestConfig.fromEnv(Map.of("OBS_MQTT_URL", brokerUrl,
                "OBS_KAFKA_BOOTSTRAP", kafka.bootstrapServers(), "OBS_INGEST_RECEIVE_MAXIMUM", "1"));
        try (IngestApp.Running first = IngestApp.start(config.withClientId("ingest-share-1"));
                IngestApp.Running second = IngestApp.start(config.withClientId("ingest-share-2"));
                TestGateway gateway = new TestGateway(brokerUrl, gatewayId)) {
            Set<Integer> pubacked = gateway.publish(payloads);
            assertThat(pubacked).hasSize(messages);

            Set<Long> forwarded = forwardedSeqs(gatewayId, messages);
            assertThat(forwarded).hasSize(messages);
            await(() -> first.metrics().ackedMessages() + second.metrics().ackedMessages() >= messages);
            String split = first.metrics().receivedMessages() + " + " + second.metrics().receivedMessages();
            if (mustSplit) {
                assertThat(first.metrics().receivedMessages()).as("messages the first instance took: %s", split)
                        .isPositive();
                assertThat(second.metrics().receivedMessages()).as("messages the second instance took: %s", split)
                        .isPositive();
            }
            assertThat(first.metrics().receivedMessages() + second.metrics().receivedMessages())
                    .isGreaterThanOrEqualTo(messages);
        }
    }

    /**
     * Gateways publish QoS 1 batches with per-gateway sequence numbers, paced, while an ingest JVM runs;
     * it is killed with SIGKILL part-way, publishing goes on into the broker's queue for its session, and a
     * new JVM with the same client id takes over. Every PUBACKed (gateway, seq) must be in Kafka.
     */
    private static void assertNothingPubackedIsLost(String brokerUrl, String clientId, List<String> gateways,
            Path log) throws Exception {
        int perGateway = 400;
        int total = perGateway * gateways.size();
        Map<String, String> env = Map.of(
                "OBS_MQTT_URL", brokerUrl,
                "OBS_KAFKA_BOOTSTRAP", kafka.bootstrapServers(),
                "OBS_INGEST_CLIENT_ID", clientId,
                "OBS_INGEST_RECEIVE_MAXIMUM", "100",
                "OBS_INGEST_STARTUP_TIMEOUT", "PT120S");
        Map<String, Set<Integer>> pubacked = new LinkedHashMap<>();
        AtomicInteger published = new AtomicInteger();
        ExecutorService publishers = Executors.newFixedThreadPool(gateways.size());
        try (IngestProcess first = new IngestProcess(env, log)) {
            first.awaitRunning(Duration.ofMinutes(2));
            List<Future<Set<Integer>>> results = new ArrayList<>();
            for (String gateway : gateways) {
                results.add(publishers.submit(() -> publishPaced(brokerUrl, gateway, perGateway, published)));
            }
            await(() -> published.get() >= total / 4);
            first.kill();
            int atKill = published.get();
            await(() -> published.get() >= Math.min(total, atKill + total / 4));
            try (IngestProcess second = new IngestProcess(env, log)) {
                second.awaitRunning(Duration.ofMinutes(2));
                for (int i = 0; i < gateways.size(); i++) {
                    pubacked.put(gateways.get(i), results.get(i).get(5, TimeUnit.MINUTES));
                }
                assertThat(atKill).as("killed while publishing").isLessThan(total);
                for (String gateway : gateways) {
                    Set<Integer> owed = pubacked.get(gateway);
                    assertThat(owed).as("PUBACKed by the broker for %s", gateway).hasSize(perGateway);
                    Set<Long> forwarded = forwardedSeqs(gateway, owed.size());
                    for (int seq : owed) {
                        assertThat(forwarded).as("%s seq %d", gateway, seq).contains((long) seq);
                    }
                }
            }
        } finally {
            publishers.shutdownNow();
        }
    }

    private static Set<Integer> publishPaced(String brokerUrl, String gateway, int messages, AtomicInteger published)
            throws Exception {
        Set<Integer> acked = new HashSet<>();
        try (TestGateway client = new TestGateway(brokerUrl, gateway)) {
            for (int from = 0; from < messages; from += 10) {
                List<String> chunk = new ArrayList<>();
                for (int seq = from; seq < Math.min(messages, from + 10); seq++) {
                    chunk.add(batch(gateway, seq));
                }
                int offset = from;
                client.publish(chunk).forEach(i -> acked.add(offset + i));
                published.addAndGet(chunk.size());
                Thread.sleep(25);
            }
        }
        return acked;
    }

    private static String batch(String gateway, int seq) {
        return "{\"schema\":\"soil-readings/1\",\"gateway\":\"" + gateway + "\",\"seq\":" + seq + ",\"readings\":["
                + "{\"sensor\":\"p-" + gateway + "\",\"time\":\"" + BASE.plusSeconds(seq) + "\",\"quantity\":\"vwc\","
                + "\"value\":0.25,\"unit\":\"m3/m3\"}]}";
    }

    private static Set<Long> forwardedSeqs(String gateway, int atLeast) {
        Set<Long> seqs = new HashSet<>();
        KafkaTopics.readUntil(kafka.bootstrapServers(), Topics.READINGS_RAW, records -> {
            seqs.clear();
            for (ConsumerRecord<String, byte[]> record : records) {
                Reading reading = read(record.value(), Reading.class);
                if (reading.gateway().equals(gateway)) {
                    seqs.add(reading.seq());
                }
            }
            return seqs.size() >= atLeast;
        }, PATIENCE);
        return seqs;
    }

    // Several samples share a topic: a dead letter keeps the sample's bytes, or those of one of its records.
    private static boolean isOf(Rejection rejection, Sample sample) {
        String payload = new String(Base64.getDecoder().decode(rejection.payloadBase64()), StandardCharsets.UTF_8);
        return rejection.topic().equals(sample.topic())
                && new String(sample.bytes(), StandardCharsets.UTF_8).contains(payload);
    }

    private static List<Reading> sampleReadings(List<ConsumerRecord<String, byte[]>> records) {
        Set<String> sensors = new HashSet<>();
        Samples.sensors().forEach(sensor -> sensors.add(sensor.id()));
        return records.stream().map(r -> read(r.value(), Reading.class)).filter(r -> sensors.contains(r.sensor()))
                .toList();
    }

    private static List<Rejection> sampleRejections(List<ConsumerRecord<String, byte[]>> records, List<Sample> samples) {
        Set<String> topics = new HashSet<>();
        samples.forEach(sample -> topics.add(sample.topic()));
        return records.stream().map(r -> read(r.value(), Rejection.class)).filter(r -> topics.contains(r.topic()))
                .toList();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        Instant giveUp = Instant.now().plus(PATIENCE);
        while (!condition.getAsBoolean() && Instant.now().isBefore(giveUp)) {
            Thread.sleep(20);
        }
    }

    private static <T> T read(byte[] json, Class<T> type) {
        try {
            return Json.mapper().readValue(json, type);
        } catch (Exception e) {
            throw new AssertionError("not a " + type.getSimpleName() + ": " + new String(json), e);
        }
    }
}
