package org.soilobs.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soilobs.testkit.EmbeddedMqttBroker;
import org.soilobs.testkit.MqttTestClient;

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
                Recorder first = new Recorder(MqttTestClient.connect(broker.url(), "it-rec-1"))) {
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

            try (Recorder second = new Recorder(MqttTestClient.connect(broker.url(), "it-rec-2"))) {
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
    private static final class Recorder implements AutoCloseable {
        final Map<String, List<String>> byTopic = new HashMap<>();
        private final MqttTestClient client;
        private long count;

        Recorder(MqttTestClient client) throws MqttException {
            this.client = client;
            assertThat(client.subscribe("#")).as("SUBACK granting QoS 1").isEqualTo(1);
        }

        long count() {
            return count;
        }

        /** Records what arrives until {@code messages} have, then asserts that no more did meanwhile. */
        void await(long messages) throws InterruptedException {
            client.receiveUntil(message -> {
                byTopic.computeIfAbsent(message.topic(), t -> new ArrayList<>())
                        .add(new String(message.payload(), StandardCharsets.ISO_8859_1));
                return ++count >= messages;
            }, WAIT_MS);
            assertThat(count).isEqualTo(messages);
            assertThat(client.next(0)).as("a message beyond the %d expected", messages).isEmpty();
        }

        @Override
        public void close() throws MqttException {
            client.close();
        }
    }
}
