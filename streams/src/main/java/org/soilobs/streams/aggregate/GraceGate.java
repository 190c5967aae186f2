package org.soilobs.streams.aggregate;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.soilobs.model.EnrichedReading;
import org.soilobs.model.Resolution;
import org.soilobs.streams.aggregate.GatedReading.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, before any window sees a reading, whether it is too late: its finest (hourly) bucket closed
 * more than the grace period ago in stream time. Late readings are counted here and marked, so that they
 * can be routed to a topic of their own instead of vanishing into Streams' dropped-records metric.
 *
 * <p>Deciding once, on the finest bucket, keeps the resolutions consistent: a reading that missed its
 * hour is left out of its day as well, so a day is always the merge of its hours. The gate uses the
 * task's stream time, which Streams commits with the offsets; the window operators' own notion of stream
 * time starts from scratch after a restart and would let a late reading re-open a bucket whose state has
 * already expired.
 */
public final class GraceGate implements FixedKeyProcessor<FieldQuantity, EnrichedReading, GatedReading> {

    /** Counted as {@code late-readings-total} in the {@code stream-soilobs-metrics} group. */
    public static final String METRIC = "late-readings";

    private static final Logger LOG = LoggerFactory.getLogger(GraceGate.class);
    private static final Resolution FINEST = Arrays.stream(Resolution.values())
            .min(Comparator.comparing(Resolution::duration))
            .orElseThrow();

    private final long graceMs;
    private FixedKeyProcessorContext<FieldQuantity, GatedReading> context;
    private Sensor late;

    private GraceGate(Duration grace) {
        this.graceMs = grace.toMillis();
    }

    public static FixedKeyProcessorSupplier<FieldQuantity, EnrichedReading, GatedReading> supplier(Duration grace) {
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative, was " + grace);
        }
        return () -> new GraceGate(grace);
    }

    @Override
    public void init(FixedKeyProcessorContext<FieldQuantity, GatedReading> context) {
        this.context = context;
        this.late = context.metrics().addRateTotalSensor(
                "soilobs", context.taskId().toString(), METRIC, Sensor.RecordingLevel.INFO);
    }

    /** Judges by the record's timestamp: the event time the windows will place it at. */
    @Override
    public void process(FixedKeyRecord<FieldQuantity, EnrichedReading> record) {
        EnrichedReading enriched = record.value();
        Verdict verdict = Verdict.ON_TIME;
        if (closeOfFinestBucket(record.timestamp()) <= context.currentStreamTimeMs()) {
            verdict = Verdict.LATE;
            late.record();
            LOG.debug("reading {} is later than the grace period (stream time {})",
                    enriched.reading().identity(), Instant.ofEpochMilli(context.currentStreamTimeMs()));
        }
        context.forward(record.withValue(new GatedReading(enriched, verdict)));
    }

    /** Same rule as the window operators: a window is closed once stream time reaches end + grace. */
    private long closeOfFinestBucket(long eventTime) {
        long size = FINEST.duration().toMillis();
        long end = Math.floorDiv(eventTime, size) * size + size;
        return end > Long.MAX_VALUE - graceMs ? Long.MAX_VALUE : end + graceMs;
    }

    @Override
    public void close() {
        context.metrics().removeSensor(late);
    }
}
