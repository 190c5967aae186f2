package org.soilobs.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soilobs.model.Quantity;
import org.soilobs.reference.ReferenceData;
import org.soilobs.testkit.EmbeddedMqttBroker;
import org.soilobs.testkit.MqttTestClient;

class MqttGatewayPublisherIT {

    private static final Fleet FLEET = Fleet.generate(3, 30, ReferenceData.load());
    private static final Scenario SCENARIO = Scenario.fixed(FLEET, 3, Instant.parse("2026-03-01T00:00:00Z"),
            Instant.parse("2026-03-01T12:00:00Z"), Duration.ofMinutes(10), 0.05);
    private static final long WAIT_MS = 60_000;

    @TempDir
    Path dataDir;

    @Test
    void returnsOnceEveryBatchIsPubackedAndTheSubscriberHasThemAll() throws Exception {
        try (EmbeddedMqttBroker broker = EmbeddedMqttBroker.start(dataDir);
                MqttTestClient subscriber = subscriber(MqttTestClient.connect(broker.url(), "it-sub-1"));
                MqttGatewayPublisher publisher = MqttGatewayPublisher.connect(broker.url(), "it-pub-1")) {
            PublishResult result = publisher.publish(SCENARIO.batches());

            assertThat(publisher.maxInFlight()).isBetween(1, 65_535);
            assertThat(result.messages()).isEqualTo(SCENARIO.batches().size());
            assertThat(result.readings()).isEqualTo(SCENARIO.readings().size());
            assertThat(result.refused()).isZero();
            assertThat(publisher.ackedMessages()).isEqualTo(result.messages());
            assertThat(publisher.ackedReadings()).isEqualTo(result.readings());
            Arrived arrived = receiveDistinct(subscriber, SCENARIO.batches().size());
            assertThat(arrived.payloads()).isEqualTo(sentPayloads());
            assertThat(arrived.topics()).isEqualTo(FLEET.gateways().stream()
                    .map(GatewayMessage::uplinkTopic).collect(Collectors.toSet()));
        }
    }

    @Test
    void deliversEverythingWhenTheBrokerRestartsMidway() throws Exception {
        Scenario large = Scenario.fixed(FLEET, 4, Instant.parse("2026-03-01T00:00:00Z"),
                Instant.parse("2026-03-11T00:00:00Z"), Duration.ofMinutes(10), 0.0);
        EmbeddedMqttBroker broker = EmbeddedMqttBroker.start(dataDir);
        int port = broker.port();
        try (MqttTestClient subscriber = subscriber(MqttTestClient.connectPersistent(broker.url(), "it-sub-2", null));
                MqttGatewayPublisher publisher = MqttGatewayPublisher.connect(broker.url(), "it-pub-2")) {
            CompletableFuture<PublishResult> publishing = CompletableFuture.supplyAsync(() -> {
                try {
                    return publisher.publish(large.batches());
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            awaitTrue(() -> publisher.ackedMessages() >= 200);
            broker.close();
            broker = EmbeddedMqttBroker.start(dataDir, port);

            PublishResult result = publishing.get(WAIT_MS, TimeUnit.MILLISECONDS);

            assertThat(result.messages()).isEqualTo(large.batches().size());
            assertThat(result.readings()).isEqualTo(large.readings().size());
            Arrived arrived = receiveDistinct(subscriber, large.batches().size());
            assertThat(arrived.payloads()).isEqualTo(large.batches().stream()
                    .map(b -> new String(b.payload(), StandardCharsets.UTF_8)).collect(Collectors.toSet()));
        } finally {
            broker.close();
        }
    }

    @Test
    void liveSimulatorPublishesPlausibleReadingsUntilClosed() throws Exception {
        try (EmbeddedMqttBroker broker = EmbeddedMqttBroker.start(dataDir);
                MqttTestClient subscriber = subscriber(MqttTestClient.connect(broker.url(), "it-sub-3"))) {
            SimConfig config = new SimConfig(broker.url(), 3, FLEET.size(), 1_000, "it-sim");
            Simulator simulator = new Simulator(config, FLEET, MqttGatewayPublisher.connect(broker.url(), "it-sim"),
                    Clock.systemUTC());
            simulator.start();
            awaitTrue(() -> simulator.publishedReadings() >= 500);
            simulator.close();
            long published = simulator.publishedMessages();

            List<CanonicalBatch> received = receiveDistinct(subscriber, published).payloads().stream()
                    .map(p -> CanonicalBatch.parse(p.getBytes(StandardCharsets.UTF_8))).toList();
            assertThat(received).hasSize((int) published);
            assertThat(received.stream().mapToInt(CanonicalBatch::readingCount).sum())
                    .isEqualTo(simulator.publishedReadings());
            Set<String> sensors = FLEET.sensors().stream().map(s -> s.id()).collect(Collectors.toSet());
            assertThat(received).allSatisfy(batch -> {
                assertThat(FLEET.gateways()).contains(batch.gateway());
                assertThat(batch.readings()).allSatisfy(reading -> {
                    assertThat(sensors).contains(reading.sensor());
                    assertThat(Quantity.fromId(reading.quantity()).isPossible(reading.value())).isTrue();
                });
            });
            Map<String, List<Long>> seqs = received.stream().collect(Collectors.groupingBy(CanonicalBatch::gateway,
                    Collectors.mapping(CanonicalBatch::seq, Collectors.toList())));
            seqs.values().forEach(list -> assertThat(list).doesNotHaveDuplicates());
        }
    }

    private static Set<String> sentPayloads() {
        return SCENARIO.batches().stream().map(b -> new String(b.payload(), StandardCharsets.UTF_8))
                .collect(Collectors.toSet());
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (!condition.getAsBoolean() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
    }

    /** Subscribes {@code client} to every gateway's uplink, soil/v1/+/up. */
    private static MqttTestClient subscriber(MqttTestClient client) throws MqttException {
        assertThat(client.subscribe("soil/v1/+/up")).as("SUBACK granting QoS 1").isEqualTo(1);
        return client;
    }

    /** The distinct payloads (as text) and the topics that arrived. */
    private record Arrived(Set<String> payloads, Set<String> topics) {
    }

    /** What arrives until {@code count} distinct payloads have, or the wait is over; a copy again adds nothing. */
    private static Arrived receiveDistinct(MqttTestClient subscriber, long count) throws InterruptedException {
        Arrived arrived = new Arrived(new HashSet<>(), new HashSet<>());
        subscriber.receiveUntil(message -> {
            arrived.topics().add(message.topic());
            arrived.payloads().add(new String(message.payload(), StandardCharsets.UTF_8));
            return arrived.payloads().size() >= count;
        }, WAIT_MS);
        return arrived;
    }
}
