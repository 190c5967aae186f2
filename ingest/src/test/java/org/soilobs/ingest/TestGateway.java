package org.soilobs.ingest;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.soilobs.ingest.bridge.GatewayTopic;
import org.soilobs.ingest.bridge.NoDelaySocketFactory;

/** A gateway publishing at QoS 1 with Paho, as many in flight as the broker's receive maximum allows. */
final class TestGateway implements AutoCloseable {

    private final MqttAsyncClient client;
    private final String topic;
    private final Semaphore inFlight;

    TestGateway(String brokerUrl, String gateway) throws MqttException {
        this.client = new MqttAsyncClient(brokerUrl, "it-" + gateway, new MemoryPersistence());
        this.topic = GatewayTopic.of(gateway);
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setSocketFactory(new NoDelaySocketFactory());
        IMqttToken connected = client.connect(options);
        connected.waitForCompletion(30_000);
        Integer receiveMaximum = connected.getResponseProperties().getReceiveMaximum();
        this.inFlight = new Semaphore(receiveMaximum == null ? 65_535 : receiveMaximum);
    }

    String topic() {
        return topic;
    }

    /**
     * Publishes every payload at QoS 1 and waits for the broker's answers.
     *
     * @return the indices of the payloads the broker PUBACKed: the ones the observatory owes
     */
    Set<Integer> publish(List<String> payloads) throws Exception {
        Set<Integer> acked = ConcurrentHashMap.newKeySet();
        CountDownLatch answered = new CountDownLatch(payloads.size());
        for (int i = 0; i < payloads.size(); i++) {
            int index = i;
            inFlight.acquire();
            client.publish(topic, payloads.get(i).getBytes(StandardCharsets.UTF_8), 1, false, null,
                    new MqttActionListener() {
                        @Override
                        public void onSuccess(IMqttToken token) {
                            acked.add(index);
                            inFlight.release();
                            answered.countDown();
                        }

                        @Override
                        public void onFailure(IMqttToken token, Throwable exception) {
                            inFlight.release();
                            answered.countDown();
                        }
                    });
        }
        if (!answered.await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the broker did not answer " + answered.getCount() + " publishes");
        }
        return acked;
    }

    @Override
    public void close() throws MqttException {
        client.disconnect().waitForCompletion(10_000);
        client.close();
    }
}
