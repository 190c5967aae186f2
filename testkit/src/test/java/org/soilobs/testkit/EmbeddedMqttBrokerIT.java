package org.soilobs.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import javax.net.SocketFactory;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
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

class EmbeddedMqttBrokerIT {

    private static final int MESSAGES = 3000;
    private static final String TOPIC = "soilobs/gw-1/up";

    @TempDir
    Path dataDir;

    @Test
    void persistentSessionReceivesEveryMessageQueuedWhileItWasAway() throws Exception {
        try (EmbeddedMqttBroker broker = EmbeddedMqttBroker.start(dataDir)) {
            assertThat(broker.url()).isEqualTo("tcp://127.0.0.1:" + broker.port());

            Set<String> received = ConcurrentHashMap.newKeySet();
            CountDownLatch allReceived = new CountDownLatch(MESSAGES);
            MqttAsyncClient subscriber = client(broker, "ingest-1", (topic, message) -> {
                if (received.add(new String(message.getPayload(), StandardCharsets.UTF_8))) {
                    allReceived.countDown();
                }
            });
            subscriber.connect(persistentSession()).waitForCompletion(10_000);
            subscriber.subscribe(TOPIC, 1).waitForCompletion(10_000);
            subscriber.disconnect().waitForCompletion(10_000);

            publishQos1(broker, MESSAGES);

            subscriber.connect(persistentSession()).waitForCompletion(10_000);
            allReceived.await(60, TimeUnit.SECONDS);
            subscriber.disconnect().waitForCompletion(10_000);
            subscriber.close();

            assertThat(received).hasSize(MESSAGES)
                    .isEqualTo(IntStream.range(0, MESSAGES).mapToObj(String::valueOf).collect(Collectors.toSet()));
        }
    }

    /** Publishes messages 0..count-1, never more in flight than the broker's receive maximum allows. */
    private static void publishQos1(EmbeddedMqttBroker broker, int count) throws Exception {
        MqttAsyncClient publisher = client(broker, "gw-1", (topic, message) -> { });
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setSocketFactory(new NoDelaySocketFactory());
        IMqttToken connected = publisher.connect(options);
        connected.waitForCompletion(10_000);
        Integer receiveMaximum = connected.getResponseProperties().getReceiveMaximum();
        Semaphore inFlight = new Semaphore(receiveMaximum == null ? 65_535 : receiveMaximum);
        CountDownLatch acked = new CountDownLatch(count);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        MqttActionListener onPuback = new MqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                inFlight.release();
                acked.countDown();
            }

            @Override
            public void onFailure(IMqttToken token, Throwable exception) {
                failure.compareAndSet(null, exception);
                inFlight.release();
                acked.countDown();
            }
        };
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            publisher.publish(TOPIC, String.valueOf(i).getBytes(StandardCharsets.UTF_8), 1, false, null, onPuback);
        }
        assertThat(acked.await(60, TimeUnit.SECONDS)).as("all %d publishes acknowledged", count).isTrue();
        assertThat(failure.get()).isNull();
        publisher.disconnect().waitForCompletion(10_000);
        publisher.close();
    }

    private static MqttConnectionOptions persistentSession() {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(300L);
        options.setSocketFactory(new NoDelaySocketFactory());
        return options;
    }

    private interface Handler {
        void accept(String topic, MqttMessage message);
    }

    private static MqttAsyncClient client(EmbeddedMqttBroker broker, String clientId, Handler handler) throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(broker.url(), clientId, new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                handler.accept(topic, message);
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
            public void connectComplete(boolean reconnect, String serverURI) {
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        });
        return client;
    }

    /** Paho never sets TCP_NODELAY; with Nagle and delayed ACKs QoS 1 crawls at about 1000 msg/s. */
    private static final class NoDelaySocketFactory extends SocketFactory {
        @Override
        public Socket createSocket() throws IOException {
            Socket socket = new Socket();
            socket.setTcpNoDelay(true);
            return socket;
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            Socket socket = new Socket(host, port);
            socket.setTcpNoDelay(true);
            return socket;
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            Socket socket = new Socket(host, port, localHost, localPort);
            socket.setTcpNoDelay(true);
            return socket;
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            Socket socket = new Socket(host, port);
            socket.setTcpNoDelay(true);
            return socket;
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
            Socket socket = new Socket(address, port, localAddress, localPort);
            socket.setTcpNoDelay(true);
            return socket;
        }
    }
}
