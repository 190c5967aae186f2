package org.soilobs.streams;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.soilobs.model.EnrichedReading;
import org.soilobs.model.Field;
import org.soilobs.model.Json;
import org.soilobs.model.Placement;
import org.soilobs.model.Quantity;
import org.soilobs.model.Reading;
import org.soilobs.streams.serde.JsonSerde;

/** Test data and driver plumbing shared by the topology tests. */
final class Samples {

    static final Instant T0 = Instant.parse("2026-11-20T09:00:00Z");

    static final Placement GERMANY = new Placement("DEU", "155", "150");
    static final Placement FRANCE = new Placement("FRA", "155", "150");
    static final Placement KENYA = new Placement("KEN", "014", "002");
    static final Placement NIGERIA = new Placement("NGA", "011", "002");

    private Samples() {
    }

    static Field field(String id, Placement placement, double areaHa) {
        return new Field(id, 8.5, 49.0, areaHa, "cropland", 1.3, 0.1, 30, placement);
    }

    static Reading reading(String sensor, String field, Quantity quantity, Instant time, double value) {
        return new Reading("gw-1", 1, sensor, field, quantity, time, value, 0, 30, time.plusSeconds(5));
    }

    static EnrichedReading enriched(Reading reading, Field field) {
        return new EnrichedReading(reading, field.placement(), field.areaHa(), List.of(EnrichedReading.GOOD));
    }

    static byte[] json(Object value) {
        try {
            return Json.mapper().writeValueAsBytes(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Properties properties(Path stateDir) {
        return new StreamsSettings("unused:9092", "test", stateDir, Duration.ofHours(6), Duration.ofDays(7), Duration.ofMillis(100), 1, 1, (short) 1)
                .toProperties("job");
    }

    /** The value each key ended with: the output topic read as a table; a tombstone removes the key. */
    static <K, V> Map<K, V> lastValues(TestOutputTopic<K, V> topic) {
        Map<K, V> last = new HashMap<>();
        for (KeyValue<K, V> record : topic.readKeyValuesToList()) {
            if (record.value == null) {
                last.remove(record.key);
            } else {
                last.put(record.key, record.value);
            }
        }
        return last;
    }

    /** Sum of a custom {@code stream-soilobs-metrics} total over all tasks. */
    static double total(TopologyTestDriver driver, String operation) {
        return driver.metrics().entrySet().stream()
                .filter(metric -> metric.getKey().group().equals("stream-soilobs-metrics"))
                .filter(metric -> metric.getKey().name().equals(operation + "-total"))
                .mapToDouble(metric -> ((Number) metric.getValue().metricValue()).doubleValue())
                .sum();
    }

    static <T> Deserializer<T> deserializer(Class<T> type) {
        return JsonSerde.of(type).deserializer();
    }
}
