package org.soilobs.streams.carbon;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.soilobs.model.Aggregate;
import org.soilobs.model.AggregateKey;
import org.soilobs.model.Field;
import org.soilobs.model.Level;
import org.soilobs.model.Progress;
import org.soilobs.model.Quantity;
import org.soilobs.model.Resolution;
import org.soilobs.model.Stats;
import org.soilobs.model.Topics;
import org.soilobs.streams.serde.JsonSerde;

/** The carbon job in a {@link TopologyTestDriver}, with its topics. */
final class CarbonDriver implements AutoCloseable {

    final TopologyTestDriver driver;
    final TestInputTopic<String, Field> fields;
    final TestInputTopic<AggregateKey, Aggregate> aggregatesIn;
    final TestOutputTopic<AggregateKey, Aggregate> aggregatesOut;
    final TestOutputTopic<String, Progress> progress;

    CarbonDriver(Path stateDir) {
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "carbon-test");
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(CarbonProgress.build(), properties);
        fields = driver.createInputTopic(Topics.FIELDS, Serdes.String().serializer(),
                JsonSerde.of(Field.class).serializer());
        aggregatesIn = driver.createInputTopic(Topics.AGGREGATES, JsonSerde.of(AggregateKey.class).serializer(),
                JsonSerde.of(Aggregate.class).serializer());
        aggregatesOut = driver.createOutputTopic(Topics.AGGREGATES, JsonSerde.of(AggregateKey.class).deserializer(),
                JsonSerde.of(Aggregate.class).deserializer());
        progress = driver.createOutputTopic(Topics.PROGRESS, Serdes.String().deserializer(),
                JsonSerde.of(Progress.class).deserializer());
    }

    void register(Field field) {
        fields.pipeInput(field.id(), field);
    }

    /** Pipes a field's daily aggregate of {@code quantity} made of {@code stats} (unweighted). */
    void day(Field field, Quantity quantity, java.time.Instant day, Stats stats) {
        AggregateKey key = new AggregateKey(Level.FIELD, field.id(), quantity, Resolution.DAY, day);
        aggregatesIn.pipeInput(key, new Aggregate(key, stats.weightedByFieldArea(field.areaHa()), 1));
    }

    /** The soc_stock aggregates each key ended with; the job's inputs, also on that topic, are left out. */
    Map<AggregateKey, Aggregate> stocks() {
        Map<AggregateKey, Aggregate> last = new HashMap<>();
        for (KeyValue<AggregateKey, Aggregate> record : aggregatesOut.readKeyValuesToList()) {
            if (record.key.quantity() != Quantity.SOC_STOCK) {
                continue;
            }
            if (record.value == null) {
                last.remove(record.key);
            } else {
                last.put(record.key, record.value);
            }
        }
        return last;
    }

    /** The progress each area ended with, by {@code level/code}. */
    Map<String, Progress> progress() {
        Map<String, Progress> last = new HashMap<>();
        List<KeyValue<String, Progress>> records = progress.readKeyValuesToList();
        for (KeyValue<String, Progress> record : records) {
            if (record.value == null) {
                last.remove(record.key);
            } else {
                last.put(record.key, record.value);
            }
        }
        return last;
    }

    @Override
    public void close() {
        driver.close();
    }
}
