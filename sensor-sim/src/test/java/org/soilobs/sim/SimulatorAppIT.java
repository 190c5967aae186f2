package org.soilobs.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
import org.soilobs.testkit.EmbeddedMqttBroker;

class SimulatorAppIT {

    private static final long WAIT_MS = 120_000;

    @TempDir
    Path dir;

    private Map<String, String> env(EmbeddedMqttBroker broker, Path truth) {
        return SimOptions.overlay(Map.of("OBS_SIM_FAULTS", "spike:0.02,duplicate:0.05,malformed:0.05,skew:0.05"),
                List.of("--mode", "backfill", "--mqtt", broker.url(), "--seed", "21", "--fields", "12",
                        "--connections", "3", "--formats", "canonical:1,senml:1,ttn:1,chirpstack:1",
                        "--from", "2025-06-01", "--to=2025-06-02", "--step", "PT30M", "--truth", truth.toString()));
    }

    @Test
    void backfillPublishesEveryMessageOfItsTruthAndAgainByteForByte() throws Exception {
        try (EmbeddedMqttBroker broker = EmbeddedMqttBroker.start(dir.resolve("mqtt"));
                Recorder first = Recorder.connect(broker.url(), "it-rec-1")) {
            Path truth = dir.resolve("truth-1.jsonl");
            assertThat(SimulatorApp.run(SimOptions.fromEnv(env(broker, truth)))).isZero();
            List<String> lines = Files.readAllLines(truth);
            long deliveries = lines.stream().filter(line -> line.contains("\"type\":\"reading\""))
                    .filter(line -> !line.contains("\"fate\":\"missing\""))
                    // A message is its gateway, seq, format and sensor; a re-sent copy is a message of its own.
                    .map(line -> line.replaceAll("\"quantity\".*", "") + line.contains("\"fate\":\"duplicate\""))
                    .distinct().count();
            first.await(deliveries);
            first.close();

            try (Recorder second = Recorder.connect(broker.url(), "it-rec-2")) {
                Path again = dir.resolve("truth-2.jsonl");
                assertThat(SimulatorApp.run(SimOptions.fromEnv(env(broker, again)))).isZero();
                second.await(first.count());

                assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(truth));
                assertThat(second.byTopic).isEqualTo(first.byTopic);
            }
            assertThat(lines).filteredOn(line -> line.contains("\"type\":\"field\"")).hasSize(12);
            assertThat(first.byTopic.keySet()).anyMatch(topic -> topic.startsWith("soil/v1/"))
                    .anyMatch(topic -> topic.startsWith("v3/")).anyMatch(topic -> topic.startsWith("application/"));
        }
    }

    /** Every payload published, in arrival order per topic. */
    private static final class Recorder implements MqttCallback, AutoCloseable {
        final Map<String, List<String>> byTopic = new ConcurrentHashMap<>();
        private final MqttAsyncClient client;

        private Recorder(MqttAsyncClient client) {
            this.client = client;
        }

        static Recorder connect(String url, String id) throws MqttException {
            MqttAsyncClient client = new MqttAsyncClient(url, id, new MemoryPersistence());
            Recorder recorder = new Recorder(client);
            client.setCallback(recorder);
            client.connect(new MqttConnectionOptions()).waitForCompletion(10_000);
            client.subscribe("#", 1).waitForCompletion(10_000);
            return recorder;
        }

        synchronized long count() {
            return byTopic.values().stream().mapToLong(List::size).sum();
        }

        void await(long messages) throws InterruptedException {
            long deadline = System.currentTimeMillis() + WAIT_MS;
            while (count() < messages && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(count()).isEqualTo(messages);
        }

        @Override
        public synchronized void messageArrived(String topic, MqttMessage message) {
            byTopic.computeIfAbsent(topic, t -> new ArrayList<>()).add(new String(message.getPayload(),
                    java.nio.charset.StandardCharsets.ISO_8859_1));
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
