package org.soilobs.ingest.bridge;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.soilobs.ingest.IngestConfig;
import org.soilobs.ingest.IngestMetrics;
import org.soilobs.ingest.MqttSource;
import org.soilobs.ingest.decode.DecodeResult;
import org.soilobs.ingest.decode.IncomingMessage;
import org.soilobs.ingest.decode.PayloadDecoding;
import org.soilobs.ingest.decode.RejectReason;
import org.soilobs.ingest.decode.Rejections;
import org.soilobs.model.Json;
import org.soilobs.model.Reading;
import org.soilobs.model.Rejection;
import org.soilobs.model.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves gateway messages from MQTT to Kafka without losing any (DESIGN §2).
 *
 * <p>The MQTT side: a persistent session (fixed client id, {@code cleanStart=false}, session expiry
 * &gt; 0), so that the broker queues messages while ingest is away; the shared subscription
 * {@code $share/ingest/<the source's filter>} at QoS 1, so that instances share the load; manual
 * acknowledgements; the client's receive maximum bounds the messages in flight (back-pressure);
 * {@code TCP_NODELAY}. One bridge serves one {@link MqttSource}; ingest runs one per source.
 *
 * <p>Each message is decoded on Paho's callback thread and its readings and dead letters are sent to
 * {@link Topics#READINGS_RAW} (key: sensor id) and {@link Topics#READINGS_REJECTED} (key: gateway id,
 * or the topic when it names none) by an idempotent {@code acks=all} producer. The message's PUBACK is
 * released only when Kafka acknowledged all of its records, and in receive order ({@link InOrderAcks}).
 *
 * <p>If a send fails, nothing from that message on is acknowledged: the bridge drops the connection,
 * renews the producer and reconnects with the same session, so the broker redelivers everything
 * unacknowledged (downstream removes the duplicates). The bridge reconnects after a lost connection the
 * same way, backing off up to {@value #MAX_BACKOFF_SECONDS} s.
 *
 * <p>Reconnecting uses a new {@link MqttAsyncClient} each time instead of Paho's automatic reconnect:
 * Paho keeps PUBACKs queued while disconnected and sends them on the next connection, where the broker
 * may have given their packet ids to other messages. A fresh client per connection means an ack can only
 * ever reach the connection its message arrived on.
 */
public final class MqttKafkaBridge implements AutoCloseable {

    /** The share group every ingest instance joins, on every source. */
    public static final String SHARE_GROUP = "ingest";
    public static final int MAX_BACKOFF_SECONDS = 30;

    private static final Logger LOG = LoggerFactory.getLogger(MqttKafkaBridge.class);
    private static final long CONNECT_TIMEOUT_MS = 30_000;
    private static final int CONNECTION_TIMEOUT_SECONDS = 10;
    private static final int KEEP_ALIVE_SECONDS = 30;
    private static final long QUIESCE_MS = 5_000;
    private static final long DISCONNECT_TIMEOUT_MS = 5_000;
    private static final Duration PRODUCER_CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(90);
    // Bounds the reconnect rate when two instances fight over one client id (session takeover).
    private static final Duration RECONNECT_DELAY = Duration.ofSeconds(1);
    private static final int SESSION_TAKEN_OVER = 0x8E;

    private final IngestConfig config;
    private final MqttSource source;
    private final String subscription;
    private final PayloadDecoding decoding;
    private final Supplier<Producer<String, byte[]>> producers;
    private final IngestMetrics metrics;
    private final Clock clock;
    private final ScheduledExecutorService supervisor;
    private final ReentrantLock handling = new ReentrantLock();
    private final CountDownLatch firstConnection = new CountDownLatch(1);
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger kafkaFailureStreak = new AtomicInteger();
    private int connectFailureStreak;
    private boolean connectedBefore;

    private volatile boolean stopping;
    private volatile Producer<String, byte[]> producer;
    private volatile Connection current;

    /**
     * @param config the receive maximum and session expiry
     * @param source the broker, credentials, client id and topic filter of this bridge's connection
     * @param producers makes the Kafka producer, again after a failed send (see
     *     {@link KafkaSettings#producerProperties})
     */
    public MqttKafkaBridge(IngestConfig config, MqttSource source, PayloadDecoding decoding,
            Supplier<Producer<String, byte[]>> producers, IngestMetrics metrics, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.source = Objects.requireNonNull(source, "source");
        this.subscription = "$share/" + SHARE_GROUP + "/" + source.topicFilter();
        this.decoding = Objects.requireNonNull(decoding, "decoding");
        this.producers = Objects.requireNonNull(producers, "producers");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.supervisor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ingest-mqtt-supervisor-" + source.name());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Creates the producer and starts connecting; see {@link #awaitConnected(Duration)}. */
    public void start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("already started");
        }
        producer = producers.get();
        metrics.inFlightGauge(source.name(), this::inFlight);
        supervisor.execute(this::connect);
    }

    /** Whether the first connection (with its subscription) was established within {@code timeout}. */
    public boolean awaitConnected(Duration timeout) throws InterruptedException {
        return firstConnection.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isConnected() {
        Connection connection = current;
        return connection != null && !connection.retired.get() && connection.client.isConnected();
    }

    /** Messages received on the current connection and not yet acknowledged. */
    public int inFlight() {
        Connection connection = current;
        return connection == null ? 0 : connection.acks.inFlight();
    }

    /**
     * Stops cleanly: takes no more messages (those arriving now stay unacknowledged and are redelivered
     * to the next session), lets Kafka acknowledge what was sent, releases those acks, then disconnects
     * keeping the session.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stopping = true;
        try {
            Future<?> shutdown = supervisor.submit(this::shutdown);
            shutdown.get(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            LOG.warn("Ingest bridge did not stop cleanly: {}", e.toString());
        } finally {
            supervisor.shutdownNow();
        }
    }

    private void shutdown() {
        // Wait for a message being handled; every later one sees `stopping`.
        handling.lock();
        handling.unlock();
        Connection connection = current;
        Producer<String, byte[]> last = producer;
        if (last != null) {
            // Completes (or fails) every send, which releases the acks of the completed messages in order.
            closeProducer(last, PRODUCER_CLOSE_TIMEOUT);
        }
        if (connection != null) {
            // Already retired if a send failed during the producer's close: disconnect all the same.
            int abandoned = connection.retire();
            LOG.info("Disconnecting from {} ({} messages acknowledged on this connection{})", source.url(),
                    connection.acks.acked(), abandoned > 0 ? ", " + abandoned + " left for the broker to redeliver" : "");
            disconnect(connection);
        }
    }

    private void connect() {
        if (stopping) {
            return;
        }
        MqttAsyncClient client;
        try {
            client = new MqttAsyncClient(source.url(), source.clientId(), new MemoryPersistence());
        } catch (MqttException | IllegalArgumentException e) {
            LOG.error("Cannot create an MQTT client for {}: {}", source.url(), e.toString());
            scheduleConnect(backoff(++connectFailureStreak));
            return;
        }
        Connection connection = new Connection(client);
        current = connection;
        try {
            client.setManualAcks(true);
            // The global callback: with $share, Paho never calls per-subscription listeners.
            client.setCallback(connection);
            IMqttToken connected = client.connect(options());
            connected.waitForCompletion(CONNECT_TIMEOUT_MS);
            boolean sessionPresent = connected.getSessionPresent();
            IMqttToken subscribed = client.subscribe(new MqttSubscription[] {new MqttSubscription(subscription, 1)});
            subscribed.waitForCompletion(CONNECT_TIMEOUT_MS);
            int[] codes = subscribed.getReasonCodes();
            if (codes == null || codes.length != 1 || codes[0] != 1) {
                // Anything but QoS 1 granted (0x80+ is a refusal; QoS 0 would be at-most-once) breaks the chain.
                throw new IllegalStateException("the broker answered the subscription to " + subscription
                        + " with reason code " + (codes == null || codes.length == 0 ? "(none)" : codes[0])
                        + " instead of granting QoS 1");
            }
            connectFailureStreak = 0;
            if (!sessionPresent && connectedBefore) {
                LOG.warn("The broker at {} kept no session for {}: what was published while ingest was away for longer "
                        + "than the session expiry ({}) was not queued for it", source.url(), source.clientId(),
                        config.sessionExpiry());
            }
            connectedBefore = true;
            metrics.connected();
            LOG.info("Connected to {} as {} (session present: {}, receive maximum {}), subscribed to {} at QoS {}",
                    source.url(), source.clientId(), sessionPresent, config.receiveMaximum(), subscription,
                    codes[0]);
            firstConnection.countDown();
        } catch (MqttException | RuntimeException e) {
            if (connection.retire() >= 0) {
                Duration delay = backoff(++connectFailureStreak);
                LOG.warn("Cannot connect to {} as {}: {}; retrying in {} s", source.url(), source.clientId(),
                        e instanceof MqttException mqtt ? describe(mqtt) : e.toString(), delay.toSeconds());
                disconnect(connection);
                scheduleConnect(delay);
            }
        }
    }

    private MqttConnectionOptions options() {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(config.sessionExpiry().getSeconds());
        options.setAutomaticReconnect(false);
        options.setReceiveMaximum(config.receiveMaximum());
        options.setKeepAliveInterval(KEEP_ALIVE_SECONDS);
        options.setConnectionTimeout(CONNECTION_TIMEOUT_SECONDS);
        String scheme = URI.create(source.url()).getScheme();
        options.setSocketFactory(source.tls() == null ? NoDelaySocketFactory.forScheme(scheme)
                : NoDelaySocketFactory.forScheme(scheme, source.tls().socketFactory()));
        if (source.username() != null) {
            options.setUserName(source.username());
        }
        if (source.password() != null) {
            options.setPassword(source.password().getBytes(StandardCharsets.UTF_8));
        }
        return options;
    }

    private void scheduleConnect(Duration delay) {
        if (stopping) {
            return;
        }
        try {
            supervisor.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("Not reconnecting: the bridge is stopping");
        }
    }

    private static Duration backoff(int failures) {
        return Duration.ofSeconds(Math.min(MAX_BACKOFF_SECONDS, 1L << Math.min(failures - 1, 5)));
    }

    private void handle(Connection connection, String topic, MqttMessage message) {
        handling.lock();
        try {
            if (stopping || connection.retired.get()) {
                // Not acknowledged: the broker delivers it again to the next session.
                return;
            }
            Instant receivedAt = clock.instant();
            metrics.messageReceived();
            Optional<String> gateway = source.type().gatewayOf(topic);
            IncomingMessage incoming = new IncomingMessage(source.name(), topic, gateway.orElse(null),
                    message.getPayload(), receivedAt);
            DecodeResult result = gateway.isPresent() ? decoding.decode(incoming)
                    : DecodeResult.rejected(Rejections.ofMessage(incoming, RejectReason.UNSUPPORTED_TOPIC,
                            "topic does not have the layout " + source.type().defaultFilter() + " of a "
                                    + source.type().id() + " source"));
            List<Outgoing> records = records(result, gateway.orElse(topic));
            InOrderAcks.Entry entry = connection.acks.received(message.getId(), message.getQos(), records.size());
            Producer<String, byte[]> target = producer;
            for (Outgoing outgoing : records) {
                long began = System.nanoTime();
                target.send(outgoing.record(), (metadata, exception) -> {
                    if (exception == null) {
                        metrics.sendLatency(System.nanoTime() - began);
                        outgoing.count(metrics);
                        entry.sent();
                    } else {
                        kafkaFailed(connection, message.getId(), topic, exception);
                    }
                });
            }
        } catch (RuntimeException e) {
            // A send refused at once (buffer full past max.block.ms, producer closed, …) or a bug: treated like
            // a failed send, so that the message is redelivered rather than skipped.
            kafkaFailed(connection, message.getId(), topic, e);
        } finally {
            handling.unlock();
        }
    }

    private static List<Outgoing> records(DecodeResult result, String rejectionKey) {
        List<Outgoing> records = new ArrayList<>(result.readings().size() + result.rejections().size());
        for (Reading reading : result.readings()) {
            records.add(new Outgoing(new ProducerRecord<>(Topics.READINGS_RAW, reading.sensor(), json(reading)), null));
        }
        for (Rejection rejection : result.rejections()) {
            records.add(new Outgoing(new ProducerRecord<>(Topics.READINGS_REJECTED, rejectionKey, json(rejection)),
                    rejection.reason()));
        }
        return records;
    }

    private static byte[] json(Object value) {
        try {
            return Json.mapper().writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    private void kafkaFailed(Connection connection, int messageId, String topic, Exception cause) {
        metrics.sendFailed();
        if (connection.retire() < 0) {
            return;
        }
        if (stopping) {
            LOG.warn("Kafka did not take MQTT message {} on {} while stopping ({}); the broker redelivers it to the "
                    + "next session", messageId, topic, cause.toString());
            return;
        }
        Duration delay = backoff(kafkaFailureStreak.incrementAndGet());
        LOG.error("Kafka did not acknowledge a record of MQTT message {} on {}: {}. Neither it nor any later message "
                + "is acknowledged to the broker; reconnecting to {} in {} s so that the broker redelivers them",
                messageId, topic, cause.toString(), source.url(), delay.toSeconds());
        try {
            supervisor.execute(() -> {
                disconnect(connection);
                renewProducer();
                scheduleConnect(delay);
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("Not reconnecting: the bridge is stopping");
        }
    }

    private void connectionLost(Connection connection, String reason) {
        if (stopping) {
            return;
        }
        int abandoned = connection.retire();
        if (abandoned < 0) {
            return;
        }
        LOG.warn("Lost the connection to {} ({}); {} unacknowledged messages will be redelivered; reconnecting in {} s",
                source.url(), reason, abandoned, RECONNECT_DELAY.toSeconds());
        try {
            supervisor.execute(() -> {
                disconnect(connection);
                scheduleConnect(RECONNECT_DELAY);
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("Not reconnecting: the bridge is stopping");
        }
    }

    private void renewProducer() {
        if (stopping) {
            return;
        }
        Producer<String, byte[]> failed = producer;
        producer = producers.get();
        // Its remaining sends belong to the abandoned connection, whose messages are redelivered anyway.
        closeProducer(failed, Duration.ZERO);
    }

    private static void closeProducer(Producer<String, byte[]> producer, Duration timeout) {
        try {
            producer.close(timeout);
        } catch (RuntimeException e) {
            LOG.warn("Kafka producer did not close cleanly: {}", e.toString());
        }
    }

    // Sends the PUBACKs already released and then DISCONNECT (reason 0: the session stays), then frees the client.
    private static void disconnect(Connection connection) {
        MqttAsyncClient client = connection.client;
        try {
            if (client.isConnected()) {
                client.disconnect(QUIESCE_MS).waitForCompletion(QUIESCE_MS + DISCONNECT_TIMEOUT_MS);
            }
        } catch (MqttException | RuntimeException e) {
            LOG.debug("MQTT disconnect: {}", e.toString());
            try {
                client.disconnectForcibly(0, DISCONNECT_TIMEOUT_MS, false);
            } catch (MqttException ignored) {
                LOG.debug("MQTT forced disconnect: {}", ignored.toString());
            }
        }
        try {
            client.close(true);
        } catch (MqttException | RuntimeException e) {
            LOG.debug("MQTT client close: {}", e.toString());
        }
    }

    private static String describe(MqttException e) {
        return e.getMessage() + " (reason " + e.getReasonCode() + (e.getCause() == null ? "" : ", " + e.getCause()) + ")";
    }

    /** A Kafka record and what to count once Kafka has it. */
    private record Outgoing(ProducerRecord<String, byte[]> record, String rejectionReason) {

        void count(IngestMetrics metrics) {
            if (rejectionReason == null) {
                metrics.readingForwarded();
            } else {
                metrics.rejected(rejectionReason);
            }
        }
    }

    /** One MQTT connection: its client, its messages awaiting acks, and Paho's callbacks for it. */
    private final class Connection implements MqttCallback {

        final MqttAsyncClient client;
        final InOrderAcks acks;
        final AtomicBoolean retired = new AtomicBoolean();

        Connection(MqttAsyncClient client) {
            this.client = client;
            this.acks = new InOrderAcks(this::ack);
        }

        /**
         * Stops acknowledging on this connection.
         *
         * @return for the one caller that retired it, how many received messages stay unacknowledged; -1 for
         *     the others
         */
        int retire() {
            return retired.compareAndSet(false, true) ? acks.close() : -1;
        }

        private void ack(int messageId, int qos) {
            try {
                client.messageArrivedComplete(messageId, qos);
                metrics.messageAcked();
                kafkaFailureStreak.set(0);
            } catch (MqttException e) {
                LOG.warn("Could not acknowledge MQTT message {}: {}; the broker will redeliver it", messageId,
                        e.toString());
            }
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            handle(this, topic, message);
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            String reason = response.getException() != null ? response.getException().toString()
                    : "broker sent DISCONNECT, reason code " + response.getReturnCode()
                            + (response.getReasonString() == null ? "" : ": " + response.getReasonString())
                            + (response.getReturnCode() == SESSION_TAKEN_OVER
                                    ? "; another client connected with the same client id " + source.clientId()
                                            + ": give every ingest instance its own OBS_INGEST_CLIENT_ID"
                                    : "");
            connectionLost(this, reason);
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.warn("MQTT error on {}: {}", source.url(), describe(exception));
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
            // Ingest publishes nothing.
        }

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            // Connections are made and reported by connect().
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
            // No enhanced authentication.
        }
    }
}
