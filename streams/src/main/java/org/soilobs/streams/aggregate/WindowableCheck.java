package org.soilobs.streams.aggregate;

import java.time.Instant;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.soilobs.model.EnrichedReading;
import org.soilobs.streams.aggregate.GatedReading.Verdict;
import org.soilobs.streams.check.EventTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps readings whose time cannot be a window position ({@link EventTime#windowable}: before 1970, or
 * further ahead of their arrival than any sane clock) out of the windows, counting them. The
 * {@link org.soilobs.streams.check.ReadingTimeExtractor} has judged already: it stamps such a record with
 * its arrival time instead of the reading's time.
 *
 * <p>The check sits before the repartition, because such a reading would already travel there under a
 * timestamp the broker refuses, and one reading from the far future would advance stream time and make
 * every later reading "late".
 */
public final class WindowableCheck implements FixedKeyProcessor<String, EnrichedReading, GatedReading> {

    /** Counted as {@code unwindowable-readings-total} in the {@code stream-soilobs-metrics} group. */
    public static final String METRIC = "unwindowable-readings";

    private static final Logger LOG = LoggerFactory.getLogger(WindowableCheck.class);

    private FixedKeyProcessorContext<String, GatedReading> context;
    private Sensor unwindowable;

    @Override
    public void init(FixedKeyProcessorContext<String, GatedReading> context) {
        this.context = context;
        this.unwindowable = context.metrics().addRateTotalSensor(
                "soilobs", context.taskId().toString(), METRIC, Sensor.RecordingLevel.INFO);
    }

    @Override
    public void process(FixedKeyRecord<String, EnrichedReading> record) {
        EnrichedReading enriched = record.value();
        Verdict verdict = Verdict.ON_TIME;
        if (record.timestamp() != EventTime.millis(enriched.reading().time())) {
            verdict = Verdict.UNWINDOWABLE;
            unwindowable.record();
            LOG.debug("reading {} arrived at {} and cannot be windowed",
                    enriched.reading().identity(), Instant.ofEpochMilli(record.timestamp()));
        }
        context.forward(record.withValue(new GatedReading(enriched, verdict)));
    }

    @Override
    public void close() {
        context.metrics().removeSensor(unwindowable);
    }
}
