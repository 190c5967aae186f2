package org.soilobs.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import javax.net.SocketFactory;

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

            try (MqttTestClient subscriber = MqttTestClient.connectPersistent(broker.url(), "ingest-1",
                    new NoDelaySocketFactory())) {
                assertThat(subscriber.subscribe(TOPIC)).as("SUBACK granting QoS 1").isEqualTo(1);
            }

            List<byte[]> payloads = IntStream.range(0, MESSAGES)
                    .mapToObj(i -> String.valueOf(i).getBytes(StandardCharsets.UTF_8)).toList();
            try (MqttTestClient publisher = MqttTestClient.connect(broker.url(), "gw-1", null, null,
                    new NoDelaySocketFactory())) {
                assertThat(publisher.publish(TOPIC, payloads)).as("every publish acknowledged")
                        .containsOnly(MqttTestClient.SUCCESS);
            }

            // The same client id again: the session, its subscription and what was queued in it are the broker's.
            Set<String> received = new HashSet<>();
            try (MqttTestClient subscriber = MqttTestClient.connectPersistent(broker.url(), "ingest-1",
                    new NoDelaySocketFactory())) {
                subscriber.receiveUntil(message -> {
                    received.add(new String(message.payload(), StandardCharsets.UTF_8));
                    return received.size() >= MESSAGES;
                }, 60_000);
            }

            assertThat(received).hasSize(MESSAGES)
                    .isEqualTo(IntStream.range(0, MESSAGES).mapToObj(String::valueOf).collect(Collectors.toSet()));
        }
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
