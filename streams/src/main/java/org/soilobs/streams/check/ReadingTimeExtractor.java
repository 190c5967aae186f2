package org.soilobs.streams.check;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.soilobs.model.EnrichedReading;
import org.soilobs.model.Reading;
import org.soilobs.streams.serde.Decoded;

/**
 * Event time is the sensor's {@link Reading#time()}, so windows are buckets of measurement time, not of
 * arrival. A record without a {@linkplain EventTime#windowable windowable} reading (malformed, or stamped
 * at a time no window can take) keeps its arrival time, so that it still flows on to be dead-lettered or
 * counted rather than being dropped by Streams. This is the one place that decides what is windowable:
 * downstream, a reading whose record timestamp is not its own time was judged not to be.
 */
public final class ReadingTimeExtractor implements TimestampExtractor {

    private final ArrivalTimeExtractor arrival = new ArrivalTimeExtractor();

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        long arrivalTime = arrival.extract(record, partitionTime);
        Reading reading = readingOf(record.value());
        long eventTime = reading == null ? EventTime.NONE : EventTime.windowable(reading, arrivalTime);
        return eventTime != EventTime.NONE ? eventTime : arrivalTime;
    }

    private static Reading readingOf(Object value) {
        if (value instanceof Decoded<?> decoded && decoded.isOk()) {
            value = decoded.value();
        }
        if (value instanceof EnrichedReading enriched) {
            return enriched.reading();
        }
        return value instanceof Reading reading ? reading : null;
    }
}
