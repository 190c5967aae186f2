package org.soilobs.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Ingest's meters (Prometheus names in brackets):
 * <ul>
 *   <li>{@code ingest.messages.received} [{@code ingest_messages_received_total}] MQTT messages taken in;</li>
 *   <li>{@code ingest.messages.acked} MQTT messages acknowledged to the broker (after Kafka had them);</li>
 *   <li>{@code ingest.messages.inflight}{@code {source}} gauge: received and not yet acknowledged, per MQTT
 *       source;</li>
 *   <li>{@code ingest.readings.forwarded} readings Kafka acknowledged in {@code soil.readings.raw};</li>
 *   <li>{@code ingest.readings.rejected}{@code {reason}} dead letters Kafka acknowledged in
 *       {@code soil.readings.rejected} (a whole rejected message counts once);</li>
 *   <li>{@code ingest.kafka.send} timer: from send to Kafka's acknowledgement;</li>
 *   <li>{@code ingest.kafka.send.failures} sends Kafka refused or that timed out;</li>
 *   <li>{@code ingest.mqtt.connects} successful MQTT connections of all sources (the first ones and every
 *       reconnect).</li>
 * </ul>
 * Redelivered messages are counted again: these are counts of work done, not of distinct data.
 */
public final class IngestMetrics {

    private final MeterRegistry registry;
    private final Counter received;
    private final Counter acked;
    private final Counter forwarded;
    private final Counter sendFailures;
    private final Counter connects;
    private final Timer send;
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.received = Counter.builder("ingest.messages.received").description("MQTT messages taken in")
                .register(registry);
        this.acked = Counter.builder("ingest.messages.acked")
                .description("MQTT messages acknowledged to the broker after Kafka acknowledged all their records")
                .register(registry);
        this.forwarded = Counter.builder("ingest.readings.forwarded")
                .description("readings acknowledged by Kafka in soil.readings.raw").register(registry);
        this.sendFailures = Counter.builder("ingest.kafka.send.failures")
                .description("Kafka sends that failed; their messages are redelivered").register(registry);
        this.connects = Counter.builder("ingest.mqtt.connects").description("successful MQTT connections")
                .register(registry);
        this.send = Timer.builder("ingest.kafka.send").description("time from send to Kafka's acknowledgement")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    /** Registers the in-flight gauge of one MQTT source; the supplier is read at scrape time. */
    public void inFlightGauge(String source, Supplier<Number> inFlight) {
        Gauge.builder("ingest.messages.inflight", inFlight).tag("source", source)
                .description("MQTT messages received and not yet acknowledged").register(registry);
    }

    public void messageReceived() {
        received.increment();
    }

    public void messageAcked() {
        acked.increment();
    }

    public void readingForwarded() {
        forwarded.increment();
    }

    public void rejected(String reason) {
        rejected.computeIfAbsent(reason, r -> Counter.builder("ingest.readings.rejected")
                .description("dead letters acknowledged by Kafka in soil.readings.rejected, by reason")
                .tag("reason", r).register(registry)).increment();
    }

    public void sendFailed() {
        sendFailures.increment();
    }

    public void connected() {
        connects.increment();
    }

    public void sendLatency(long nanos) {
        send.record(nanos, TimeUnit.NANOSECONDS);
    }

    public long receivedMessages() {
        return (long) received.count();
    }

    public long ackedMessages() {
        return (long) acked.count();
    }

    public long forwardedReadings() {
        return (long) forwarded.count();
    }

    public long rejections() {
        return (long) rejected.values().stream().mapToDouble(Counter::count).sum();
    }

    public long rejections(String reason) {
        Counter counter = rejected.get(reason);
        return counter == null ? 0 : (long) counter.count();
    }

    public long sendFailures() {
        return (long) sendFailures.count();
    }

    public long connects() {
        return (long) connects.count();
    }

    public Duration maxSendLatency() {
        return Duration.ofNanos((long) send.max(TimeUnit.NANOSECONDS));
    }

    public MeterRegistry registry() {
        return registry;
    }
}
