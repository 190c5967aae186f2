package org.soilobs.streams.check;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.soilobs.model.EnrichedReading;
import org.soilobs.model.Reading;
import org.soilobs.streams.serde.Decoded;

/**
 * Event time is the sensor's {@link Reading#time()}, so windows are buckets of measurement time, not of
 * arrival. A record without a usable reading (malformed, or stamped at a time no Kafka timestamp can
 * hold) keeps its Kafka timestamp, or else the partition's time, so that it still flows on to be
 * dead-lettered or counted rather than being dropped by Streams.
 */
public final class ReadingTimeExtractor implements TimestampExtractor {

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        Reading reading = readingOf(record.value());
        long eventTime = reading == null ? EventTime.UNREPRESENTABLE : EventTime.millis(reading.time());
        if (eventTime != EventTime.UNREPRESENTABLE) {
            return eventTime;
        }
        if (record.timestamp() >= 0) {
            return record.timestamp();
        }
        return Math.max(0, partitionTime);
    }

    private static Reading readingOf(Object value) {
        if (value instanceof Decoded<?> decoded && decoded.isOk()) {
            value = decoded.value();
        }
        if (value instanceof Reading reading) {
            return reading;
        }
        if (value instanceof EnrichedReading enriched) {
            return enriched.reading();
        }
        return null;
    }
}
