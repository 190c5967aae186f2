package org.soilobs.sim;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes gateway messages to the observatory's broker over MQTT 5 with QoS 1, PUBACK being the
 * broker's "we have it" (DESIGN §2).
 *
 * <ul>
 *   <li>In-flight publishes are bounded by the receive maximum the broker announces in its CONNACK
 *       ({@value #DEFAULT_MAX_IN_FLIGHT} when it announces none): beyond it Paho fails with 32202.</li>
 *   <li>{@link #publish} returns only when every message has been PUBACKed. A send that fails or is
 *       cut off by a lost connection is sent again once Paho has reconnected, so a message may reach
 *       the broker twice (the observatory de-duplicates); each is counted once.</li>
 *   <li>Sockets set {@code TCP_NODELAY} (see {@link NoDelaySocketFactory}); Paho keeps its state in
 *       memory, not in files in the working directory.</li>
 * </ul>
 *
 * <p>Anonymous, one connection may publish for many gateways (the embedded demo, benchmarks). A broker
 * enforcing DESIGN §3's ACL ({@code pattern write soil/v1/%u/up}) wants each gateway to log in as itself:
 * {@link #connect(String, String, String, byte[])}, one connection per gateway ({@link PublisherPool}).
 *
 * <p>One thread publishes at a time; the counters can be read from any thread.
 */
public final class MqttGatewayPublisher implements AutoCloseable {

    public static final int DEFAULT_MAX_IN_FLIGHT = 500;
    static final int QOS = 1;
    private static final int FIRST_FAILURE_CODE = 0x80;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final long WAIT_SLICE_MS = 100;
    private static final Logger LOG = LoggerFactory.getLogger(MqttGatewayPublisher.class);

    private final MqttAsyncClient client;
    private final String serverUri;
    private final int maxInFlight;
    private final Semaphore inFlight;
    private final Object signal = new Object();
    private final AtomicLong ackedMessages = new AtomicLong();
    private final AtomicLong ackedReadings = new AtomicLong();
    private final AtomicLong resentMessages = new AtomicLong();
    private final AtomicLong refusedMessages = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();

    private MqttGatewayPublisher(MqttAsyncClient client, String serverUri, int maxInFlight) {
        this.client = client;
        this.serverUri = serverUri;
        this.maxInFlight = maxInFlight;
        this.inFlight = new Semaphore(maxInFlight);
    }

    /**
     * Connects to {@code serverUri} (e.g. {@code tcp://localhost:1883}) and waits for the CONNACK.
     *
     * @throws MqttException when the broker cannot be reached or refuses the connection
     */
    public static MqttGatewayPublisher connect(String serverUri, String clientId) throws MqttException {
        return connect(serverUri, clientId, null, null);
    }

    /**
     * Connects as {@code username} with {@code password} (both null: anonymously) and waits for the CONNACK.
     *
     * @throws MqttException when the broker cannot be reached or refuses the connection (reason code
     *         {@code 0x86} for a bad user name or password, {@code 0x87} when not authorised)
     */
    public static MqttGatewayPublisher connect(String serverUri, String clientId, String username, byte[] password)
            throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(serverUri, clientId, new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        // Our own resend covers what was in flight when a connection broke, so the session need not.
        options.setCleanStart(true);
        options.setAutomaticReconnect(true);
        options.setAutomaticReconnectDelay(1, 5);
        options.setConnectionTimeout(10);
        options.setKeepAliveInterval(30);
        if (serverUri.startsWith("tcp://")) {
            options.setSocketFactory(new NoDelaySocketFactory());
        }
        if (username != null) {
            options.setUserName(username);
            options.setPassword(password);
        }
        client.setCallback(new ConnectionLog(serverUri));
        try {
            IMqttToken connected = client.connect(options);
            connected.waitForCompletion(CONNECT_TIMEOUT.toMillis());
            Integer receiveMaximum = connected.getResponseProperties() == null
                    ? null : connected.getResponseProperties().getReceiveMaximum();
            int maxInFlight = receiveMaximum == null || receiveMaximum <= 0 ? DEFAULT_MAX_IN_FLIGHT : receiveMaximum;
            LOG.info("connected to {} as {}; broker receive maximum {}, publishing at most {} messages in flight",
                    serverUri, clientId, receiveMaximum == null ? "not announced" : receiveMaximum, maxInFlight);
            return new MqttGatewayPublisher(client, serverUri, maxInFlight);
        } catch (MqttException e) {
            client.close(true);
            throw e;
        }
    }

    /** The bound on unacknowledged publishes, from the broker's CONNACK. */
    public int maxInFlight() {
        return maxInFlight;
    }

    /** Messages PUBACKed with success since this publisher connected. */
    public long ackedMessages() {
        return ackedMessages.get();
    }

    /** Readings in the messages PUBACKed with success since this publisher connected. */
    public long ackedReadings() {
        return ackedReadings.get();
    }

    public long resentMessages() {
        return resentMessages.get();
    }

    public long refusedMessages() {
        return refusedMessages.get();
    }

    public boolean isConnected() {
        return client.isConnected();
    }

    /**
     * Publishes every message with QoS 1 and returns once the broker has PUBACKed each of them.
     *
     * @throws InterruptedException when interrupted while waiting; what was PUBACKed so far stays counted
     * @throws IllegalStateException when the publisher is closed meanwhile
     */
    public PublishResult publish(List<? extends GatewayMessage> messages) throws InterruptedException {
        Batch batch = new Batch(messages.size());
        Iterator<? extends GatewayMessage> fresh = messages.iterator();
        while (batch.remaining.get() > 0) {
            requireOpen();
            Pending pending = batch.retry.poll();
            if (pending == null && fresh.hasNext()) {
                pending = new Pending(fresh.next());
            }
            if (pending == null) {
                batch.awaitChange();
                continue;
            }
            if (pending.done.get()) {
                continue;
            }
            while (!inFlight.tryAcquire(WAIT_SLICE_MS, TimeUnit.MILLISECONDS)) {
                requireOpen();
            }
            send(batch, pending);
        }
        return new PublishResult(batch.acked.get(), batch.readings.get(), batch.resent.get(), batch.refused.get());
    }

    private void send(Batch batch, Pending pending) throws InterruptedException {
        MqttMessage message = new MqttMessage(pending.message.payload());
        message.setQos(QOS);
        try {
            client.publish(pending.message.topic(), message, pending, batch);
        } catch (MqttException e) {
            inFlight.release();
            batch.retry.add(pending);
            // Not connected (32104) or momentarily full: wait for Paho's automatic reconnect.
            LOG.debug("publish of {} seq {} not sent ({}), retrying", pending.message.gateway(), pending.message.seq(),
                    e.getMessage());
            awaitConnected();
            return;
        }
        if (pending.sent) {
            batch.resent.incrementAndGet();
            resentMessages.incrementAndGet();
        }
        pending.sent = true;
    }

    private void awaitConnected() throws InterruptedException {
        while (!client.isConnected()) {
            requireOpen();
            synchronized (signal) {
                if (!client.isConnected()) {
                    signal.wait(WAIT_SLICE_MS);
                }
            }
        }
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException("publisher to " + serverUri + " is closed");
        }
    }

    /** Disconnects (waiting briefly for in-flight acknowledgements) and releases the client. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        synchronized (signal) {
            signal.notifyAll();
        }
        try {
            if (client.isConnected()) {
                client.disconnect(5_000).waitForCompletion(6_000);
            }
        } catch (MqttException e) {
            LOG.debug("disconnect from {} failed: {}", serverUri, e.getMessage());
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("close of client for {} failed: {}", serverUri, e.getMessage());
        }
        LOG.info("publisher to {} closed: {} messages ({} readings) acknowledged, {} resent, {} refused", serverUri,
                ackedMessages.get(), ackedReadings.get(), resentMessages.get(), refusedMessages.get());
    }

    private static final class Pending {
        final GatewayMessage message;
        final AtomicBoolean done = new AtomicBoolean();
        /** Only the publishing thread reads and writes it. */
        boolean sent;

        Pending(GatewayMessage message) {
            this.message = message;
        }
    }

    /** The state of one {@link #publish} call; also the listener of its sends. */
    private final class Batch implements MqttActionListener {
        final AtomicInteger remaining;
        final Queue<Pending> retry = new ConcurrentLinkedQueue<>();
        final AtomicLong acked = new AtomicLong();
        final AtomicLong readings = new AtomicLong();
        final AtomicLong resent = new AtomicLong();
        final AtomicLong refused = new AtomicLong();

        Batch(int size) {
            remaining = new AtomicInteger(size);
        }

        @Override
        public void onSuccess(IMqttToken token) {
            inFlight.release();
            Pending pending = (Pending) token.getUserContext();
            if (!pending.done.compareAndSet(false, true)) {
                return;
            }
            int[] codes = token.getReasonCodes();
            if (codes != null && codes.length > 0 && codes[0] >= FIRST_FAILURE_CODE) {
                refused.incrementAndGet();
                refusedMessages.incrementAndGet();
                LOG.warn("broker refused {} seq {} on {} with reason code 0x{}", pending.message.gateway(),
                        pending.message.seq(), pending.message.topic(), Integer.toHexString(codes[0]));
            } else {
                acked.incrementAndGet();
                readings.addAndGet(pending.message.readingCount());
                ackedMessages.incrementAndGet();
                ackedReadings.addAndGet(pending.message.readingCount());
            }
            remaining.decrementAndGet();
            wake();
        }

        @Override
        public void onFailure(IMqttToken token, Throwable failure) {
            inFlight.release();
            Pending pending = (Pending) token.getUserContext();
            if (!pending.done.get()) {
                retry.add(pending);
            }
            wake();
        }

        void awaitChange() throws InterruptedException {
            synchronized (signal) {
                if (remaining.get() > 0 && retry.isEmpty()) {
                    signal.wait(WAIT_SLICE_MS);
                }
            }
        }

        private void wake() {
            synchronized (signal) {
                signal.notifyAll();
            }
        }
    }

    /** Logs the connection's ups and downs; Paho reconnects by itself. */
    private record ConnectionLog(String serverUri) implements MqttCallback {

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            String reason = response.getReasonString() != null ? response.getReasonString()
                    : response.getException() != null ? response.getException().getMessage() : "no reason given";
            LOG.warn("lost connection to {}: {}; reconnecting", serverUri, reason);
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.warn("MQTT error on {}: {}", serverUri, exception.getMessage());
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            // A publisher subscribes to nothing.
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
            // Counted by each publish's listener.
        }

        @Override
        public void connectComplete(boolean reconnect, String uri) {
            if (reconnect) {
                LOG.info("reconnected to {}", uri);
            }
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
            // No enhanced authentication.
        }
    }
}
