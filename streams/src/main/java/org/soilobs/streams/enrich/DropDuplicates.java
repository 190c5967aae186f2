package org.soilobs.streams.enrich;

import java.time.Duration;
import java.util.Set;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.soilobs.model.Reading;
import org.soilobs.streams.check.EventTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards a reading only the first time its {@link Reading#identity()} is seen, so that MQTT
 * redeliveries do not enter the clean topic twice.
 *
 * <p>Identities are remembered in a window store stamped with the reading's arrival time
 * ({@link Reading#receivedAt()}), not its event time: redeliveries are an arrival-time affair, and a
 * sensor whose clock runs years ahead must not push the store's clock forward and expire everyone
 * else's identities. The store is per partition, which is enough because the raw topic is keyed by
 * sensor and the identity starts with the sensor.
 */
public final class DropDuplicates implements FixedKeyProcessor<String, Reading, Reading> {

    public static final String STORE = "reading-identities";
    /** Counted as {@code duplicate-readings-total} in the {@code stream-soilobs-metrics} group. */
    public static final String METRIC = "duplicate-readings";

    private static final Logger LOG = LoggerFactory.getLogger(DropDuplicates.class);

    private final long retentionMs;
    private FixedKeyProcessorContext<String, Reading> context;
    private WindowStore<String, Long> identities;
    private Sensor duplicates;

    private DropDuplicates(Duration retention) {
        this.retentionMs = retention.toMillis();
    }

    public static FixedKeyProcessorSupplier<String, Reading, Reading> supplier(Duration retention) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("de-duplication retention must be positive, was " + retention);
        }
        return new FixedKeyProcessorSupplier<>() {
            @Override
            public FixedKeyProcessor<String, Reading, Reading> get() {
                return new DropDuplicates(retention);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(Stores.windowStoreBuilder(
                        Stores.persistentWindowStore(STORE, retention, Duration.ofMillis(1), false),
                        Serdes.String(), Serdes.Long()));
            }
        };
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Reading> context) {
        this.context = context;
        this.identities = context.getStateStore(STORE);
        this.duplicates = context.metrics().addRateTotalSensor(
                "soilobs", context.taskId().toString(), METRIC, Sensor.RecordingLevel.INFO);
    }

    @Override
    public void process(FixedKeyRecord<String, Reading> record) {
        Reading reading = record.value();
        String identity = reading.identity();
        long arrival = EventTime.millis(reading.receivedAt());
        if (arrival == EventTime.NONE) {
            arrival = record.timestamp();
        }
        if (seenWithinRetention(identity, arrival)) {
            duplicates.record();
            LOG.debug("dropped duplicate reading {} (gateway {}, seq {})", identity, reading.gateway(), reading.seq());
            return;
        }
        identities.put(identity, arrival, arrival);
        context.forward(record);
    }

    /**
     * Either side of the arrival: copies of one reading may reach different ingest instances in any order. By
     * milliseconds: the {@code Instant} variant builds an error-message prefix on every call.
     */
    private boolean seenWithinRetention(String identity, long arrival) {
        long from = Math.max(0, arrival - retentionMs);
        long to = arrival > Long.MAX_VALUE - retentionMs ? Long.MAX_VALUE : arrival + retentionMs;
        try (WindowStoreIterator<Long> seen = identities.fetch(identity, from, to)) {
            return seen.hasNext();
        }
    }

    @Override
    public void close() {
        context.metrics().removeSensor(duplicates);
    }
}
