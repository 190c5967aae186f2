package org.soilobs.streams.check;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * The record's Kafka timestamp, i.e. when ingest produced it. Jobs that do not window keep it, so that
 * what they write carries a time the broker accepts whatever the sensor's clock said. A record without a
 * valid timestamp takes the partition's time instead of being dropped by Streams.
 */
public final class ArrivalTimeExtractor implements TimestampExtractor {

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        return record.timestamp() >= 0 ? record.timestamp() : Math.max(0, partitionTime);
    }
}
