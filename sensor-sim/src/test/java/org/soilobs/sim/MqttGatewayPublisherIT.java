package org.soilobs.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soilobs.model.Quantity;
import org.soilobs.reference.ReferenceData;
import org.soilobs.testkit.EmbeddedMqttBroker;

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
                Subscriber subscriber = Subscriber.connect(broker.url(), "it-sub-1", false);
                MqttGatewayPublisher publisher = MqttGatewayPublisher.connect(broker.url(), "it-pub-1")) {
            PublishResult result = publisher.publish(SCENARIO.batches());

            assertThat(publisher.maxInFlight()).isBetween(1, 65_535);
            assertThat(result.messages()).isEqualTo(SCENARIO.batches().size());
            assertThat(result.readings()).isEqualTo(SCENARIO.readings().size());
            assertThat(result.refused()).isZero();
            assertThat(publisher.ackedMessages()).isEqualTo(result.messages());
            assertThat(publisher.ackedReadings()).isEqualTo(result.readings());
            awaitTrue(() -> subscriber.payloads.size() >= SCENARIO.batches().size());
            assertThat(subscriber.payloads).isEqualTo(sentPayloads());
            assertThat(subscriber.topics).isEqualTo(FLEET.gateways().stream()
                    .map(GatewayMessage::uplinkTopic).collect(Collectors.toSet()));
        }
    }

    @Test
    void deliversEverythingWhenTheBrokerRestartsMidway() throws Exception {
        Scenario large = Scenario.fixed(FLEET, 4, Instant.parse("2026-03-01T00:00:00Z"),
                Instant.parse("2026-03-11T00:00:00Z"), Duration.ofMinutes(10), 0.0);
        EmbeddedMqttBroker broker = EmbeddedMqttBroker.start(dataDir);
        int port = broker.port();
        try (Subscriber subscriber = Subscriber.connect(broker.url(), "it-sub-2", true);
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
            awaitTrue(() -> subscriber.payloads.size() >= large.batches().size());
            assertThat(subscriber.payloads).isEqualTo(large.batches().stream()
                    .map(b -> new String(b.payload(), StandardCharsets.UTF_8)).collect(Collectors.toSet()));
        } finally {
            broker.close();
        }
    }

    @Test
    void liveSimulatorPublishesPlausibleReadingsUntilClosed() throws Exception {
        try (EmbeddedMqttBroker broker = EmbeddedMqttBroker.start(dataDir);
                Subscriber subscriber = Subscriber.connect(broker.url(), "it-sub-3", false)) {
            SimConfig config = new SimConfig(broker.url(), 3, FLEET.size(), 1_000, "it-sim");
            Simulator simulator = new Simulator(config, FLEET, MqttGatewayPublisher.connect(broker.url(), "it-sim"),
                    Clock.systemUTC());
            simulator.start();
            awaitTrue(() -> simulator.publishedReadings() >= 500);
            simulator.close();
            long published = simulator.publishedMessages();

            awaitTrue(() -> subscriber.payloads.size() >= published);
            List<CanonicalBatch> received = subscriber.payloads.stream()
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

    /** Collects every distinct payload published to soil/v1/+/up. */
    private static final class Subscriber implements MqttCallback, AutoCloseable {
        final Set<String> payloads = ConcurrentHashMap.newKeySet();
        final Set<String> topics = ConcurrentHashMap.newKeySet();
        private final MqttAsyncClient client;

        private Subscriber(MqttAsyncClient client) {
            this.client = client;
        }

        /** @param persistent keeps its session (and what is queued for it) across broker restarts */
        static Subscriber connect(String url, String id, boolean persistent) throws MqttException {
            MqttAsyncClient client = new MqttAsyncClient(url, id, new MemoryPersistence());
            Subscriber subscriber = new Subscriber(client);
            client.setCallback(subscriber);
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(!persistent);
            options.setSessionExpiryInterval(persistent ? 600L : 0L);
            options.setAutomaticReconnect(true);
            options.setAutomaticReconnectDelay(1, 2);
            client.connect(options).waitForCompletion(10_000);
            client.subscribe("soil/v1/+/up", 1).waitForCompletion(10_000);
            return subscriber;
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            topics.add(topic);
            payloads.add(new String(message.getPayload(), StandardCharsets.UTF_8));
        }

        @Override
        public void close() throws MqttException {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(5_000);
            }
            client.close(true);
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
