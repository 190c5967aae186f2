package org.soilobs.testkit;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Predicate;
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

/**
 * An MQTT 5 client for tests (Paho), playing a gateway or a subscriber: publishes at QoS 1 as many
 * in flight as the broker's receive maximum allows and reports each message's PUBACK reason code;
 * collects what its subscriptions receive ({@link #next(long)}).
 */
public final class MqttTestClient implements AutoCloseable {

    /** PUBACK reason code of a successful QoS 1 publish. */
    public static final int SUCCESS = 0x00;
    /** No PUBACK at all: the publish failed or the connection was lost before the broker answered. */
    public static final int NO_ANSWER = -1;

    private final MqttAsyncClient client;
    private final Semaphore inFlight;
    private final LinkedBlockingQueue<Received> received;

    /** What a subscription received. */
    public record Received(String topic, byte[] payload) {
    }

    private MqttTestClient(MqttAsyncClient client, int receiveMaximum, LinkedBlockingQueue<Received> received) {
        this.client = client;
        this.received = received;
        this.inFlight = new Semaphore(receiveMaximum);
    }

    /** Connects anonymously over plain TCP; see {@link #connect(String, String, String, String, SocketFactory)}. */
    public static MqttTestClient connect(String url, String clientId) throws MqttException {
        return connect(url, clientId, null, null, null);
    }

    /**
     * Connects with a clean session and waits for the CONNACK.
     *
     * @param username null for none
     * @param password null for none
     * @param socketFactory null for the default (for {@code ssl://}: the JVM's trust store)
     * @throws MqttException with the broker's reason code when it refuses the connection
     */
    public static MqttTestClient connect(String url, String clientId, String username, String password,
            SocketFactory socketFactory) throws MqttException {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        if (username != null) {
            options.setUserName(username);
        }
        if (password != null) {
            options.setPassword(password.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return open(url, clientId, options, socketFactory);
    }

    /**
     * Connects anonymously with a persistent session (kept ten minutes) that reconnects by itself, as a
     * subscriber that must miss nothing: what the broker queues for it while it is away, even across a
     * broker restart, arrives once it is back. Its subscriptions live in the session, so a client that
     * connects again with the same id need not subscribe again.
     *
     * @param socketFactory null for the default
     */
    public static MqttTestClient connectPersistent(String url, String clientId, SocketFactory socketFactory)
            throws MqttException {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(600L);
        options.setAutomaticReconnect(true);
        options.setAutomaticReconnectDelay(1, 2);
        return open(url, clientId, options, socketFactory);
    }

    private static MqttTestClient open(String url, String clientId, MqttConnectionOptions options,
            SocketFactory socketFactory) throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
        options.setConnectionTimeout(30);
        if (socketFactory != null) {
            options.setSocketFactory(socketFactory);
        }
        LinkedBlockingQueue<Received> inbox = new LinkedBlockingQueue<>();
        client.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                inbox.add(new Received(topic, message.getPayload()));
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
        try {
            IMqttToken connected = client.connect(options);
            connected.waitForCompletion(30_000);
            Integer receiveMaximum = connected.getResponseProperties() == null
                    ? null : connected.getResponseProperties().getReceiveMaximum();
            return new MqttTestClient(client, receiveMaximum == null ? 65_535 : receiveMaximum, inbox);
        } catch (MqttException e) {
            client.close(true);
            throw e;
        }
    }

    /**
     * Publishes every payload to {@code topic} at QoS 1 and waits for the broker's answers.
     *
     * @return per payload, the PUBACK reason code ({@link #SUCCESS}, 0x87 not authorized, …) or {@link #NO_ANSWER}
     */
    public int[] publish(String topic, List<byte[]> payloads) throws InterruptedException {
        AtomicIntegerArray codes = new AtomicIntegerArray(payloads.size());
        CountDownLatch answered = new CountDownLatch(payloads.size());
        for (int i = 0; i < payloads.size(); i++) {
            int index = i;
            inFlight.acquire();
            MqttActionListener listener = new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    int[] reasons = token.getReasonCodes();
                    codes.set(index, reasons == null || reasons.length == 0 ? SUCCESS : reasons[0]);
                    inFlight.release();
                    answered.countDown();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable exception) {
                    // Paho reports a PUBACK with a failure reason code as a failure carrying that code.
                    int reason = exception instanceof MqttException e ? e.getReasonCode() : NO_ANSWER;
                    codes.set(index, reason >= 0x80 && reason <= 0xFF ? reason : NO_ANSWER);
                    inFlight.release();
                    answered.countDown();
                }
            };
            try {
                client.publish(topic, payloads.get(i), 1, false, null, listener);
            } catch (MqttException e) {
                codes.set(index, NO_ANSWER);
                inFlight.release();
                answered.countDown();
            }
        }
        if (!answered.await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the broker did not answer " + answered.getCount() + " publishes");
        }
        int[] result = new int[payloads.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = codes.get(i);
        }
        return result;
    }

    /** Publishes one payload at QoS 1; see {@link #publish(String, List)}. */
    public int publish(String topic, byte[] payload) throws InterruptedException {
        return publish(topic, List.of(payload))[0];
    }

    /** Subscribes at QoS 1 and returns the SUBACK reason code (0x01 granted QoS 1, 0x87 not authorized, …). */
    public int subscribe(String topicFilter) throws MqttException {
        IMqttToken token = client.subscribe(topicFilter, 1);
        token.waitForCompletion(30_000);
        int[] reasons = token.getReasonCodes();
        return reasons == null || reasons.length == 0 ? NO_ANSWER : reasons[0];
    }

    /** The next message received, waiting at most {@code timeoutMillis}. */
    public Optional<Received> next(long timeoutMillis) throws InterruptedException {
        return Optional.ofNullable(received.poll(timeoutMillis, TimeUnit.MILLISECONDS));
    }

    /**
     * Hands the messages received, one by one, to {@code done} until it answers true or
     * {@code timeoutMillis} have passed in all; the caller keeps what it needs and asserts on it.
     *
     * @return whether {@code done} answered true in time
     */
    public boolean receiveUntil(Predicate<Received> done, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            long left = deadline - System.nanoTime();
            Received next = left > 0 ? received.poll(left, TimeUnit.NANOSECONDS) : null;
            if (next == null) {
                return false;
            }
            if (done.test(next)) {
                return true;
            }
        }
    }

    @Override
    public void close() throws MqttException {
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(10_000);
            }
        } catch (MqttException brokerWentFirst) {
            // HiveMQ drops a client right after refusing its publish; Paho may not have noticed yet.
            client.disconnectForcibly(0, 1_000, false);
        } finally {
            client.close(true);
        }
    }
}
