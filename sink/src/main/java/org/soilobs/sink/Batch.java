package org.soilobs.sink;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.soilobs.model.Aggregate;
import org.soilobs.model.AggregateKey;
import org.soilobs.model.EnrichedReading;
import org.soilobs.model.Field;
import org.soilobs.model.Progress;
import org.soilobs.model.Sensor;

/**
 * What the sink holds between two database commits, and the offsets that commit covers.
 *
 * <p>Aggregates and registry entries are upserts of the full state, so only the newest value per key
 * is kept: an upsert statement may not touch the same row twice.
 */
final class Batch {

    final List<EnrichedReading> readings = new ArrayList<>();
    /** Aggregate key → newest aggregate, or null for a removed one. */
    final Map<AggregateKey, Aggregate> aggregates = new LinkedHashMap<>();
    /** Field id → field, or null for a removed field. */
    final Map<String, Field> fields = new LinkedHashMap<>();
    /** Sensor id → sensor, or null for a removed sensor. */
    final Map<String, Sensor> sensors = new LinkedHashMap<>();
    /** {@code level/code} → newest progress towards 4 ‰, or null for a removed area. */
    final Map<String, Progress> progress = new LinkedHashMap<>();
    final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    private int records;
    private long firstAddedNanos;

    void track(TopicPartition partition, long offset) {
        if (records++ == 0) {
            firstAddedNanos = System.nanoTime();
        }
        offsets.put(partition, new OffsetAndMetadata(offset + 1));
    }

    int size() {
        return records;
    }

    boolean isEmpty() {
        return records == 0;
    }

    long ageNanos() {
        return records == 0 ? 0 : System.nanoTime() - firstAddedNanos;
    }

    void clear() {
        readings.clear();
        aggregates.clear();
        fields.clear();
        sensors.clear();
        progress.clear();
        offsets.clear();
        records = 0;
    }
}
