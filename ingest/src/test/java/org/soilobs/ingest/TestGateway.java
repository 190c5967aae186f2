package org.soilobs.ingest;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.soilobs.ingest.bridge.GatewayTopic;
import org.soilobs.ingest.bridge.NoDelaySocketFactory;
import org.soilobs.testkit.MqttTestClient;

/** A gateway publishing its own topic at QoS 1 (testkit's {@link MqttTestClient}, with {@code TCP_NODELAY}). */
final class TestGateway implements AutoCloseable {

    private final MqttTestClient client;
    private final String topic;

    TestGateway(String brokerUrl, String gateway) throws MqttException {
        this.client = MqttTestClient.connect(brokerUrl, "it-" + gateway, null, null, new NoDelaySocketFactory());
        this.topic = GatewayTopic.of(gateway);
    }

    String topic() {
        return topic;
    }

    /**
     * Publishes every payload at QoS 1 and waits for the broker's answers.
     *
     * @return the indices of the payloads the broker PUBACKed with success: the ones the observatory owes
     */
    Set<Integer> publish(List<String> payloads) throws InterruptedException {
        int[] codes = client.publish(topic, payloads.stream().map(p -> p.getBytes(StandardCharsets.UTF_8)).toList());
        Set<Integer> acked = new TreeSet<>();
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] == MqttTestClient.SUCCESS) {
                acked.add(i);
            }
        }
        return acked;
    }

    @Override
    public void close() throws MqttException {
        client.close();
    }
}
