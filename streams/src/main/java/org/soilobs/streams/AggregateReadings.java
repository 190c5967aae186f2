package org.soilobs.streams;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KGroupedTable;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.soilobs.model.Aggregate;
import org.soilobs.model.AggregateKey;
import org.soilobs.model.EnrichedReading;
import org.soilobs.model.Level;
import org.soilobs.model.Resolution;
import org.soilobs.model.Topics;
import org.soilobs.streams.aggregate.AreaState;
import org.soilobs.streams.aggregate.Contribution;
import org.soilobs.streams.aggregate.FieldBucket;
import org.soilobs.streams.aggregate.FieldQuantity;
import org.soilobs.streams.aggregate.GatedReading;
import org.soilobs.streams.aggregate.GatedReading.Verdict;
import org.soilobs.streams.aggregate.GraceGate;
import org.soilobs.streams.aggregate.WindowableCheck;
import org.soilobs.streams.check.CheckDecoded;
import org.soilobs.streams.check.Outcome;
import org.soilobs.streams.check.ReadingTimeExtractor;
import org.soilobs.streams.check.Rejections;
import org.soilobs.streams.serde.BinarySerde;
import org.soilobs.streams.serde.DecodingSerde;
import org.soilobs.streams.serde.JsonSerde;
import org.soilobs.streams.serde.StateSerdes;

/**
 * The aggregation job: {@code soil.readings.clean} → per field and quantity, tumbling UTC hour and day
 * buckets of mergeable {@link org.soilobs.model.Stats} → rolled up field → country → sub-region → region →
 * world. Every level's aggregates go to {@code soil.aggregates}, keyed by {@link AggregateKey}; readings later
 * than the grace period go to {@code soil.readings.late}, keyed by sensor.
 *
 * <p>Each level above the field is a {@code KTable.groupBy(...).aggregate(adder, subtractor)} over the
 * level below, so a late reading that changes a field's bucket replaces that field's contribution all the
 * way up instead of being added a second time.
 */
public final class AggregateReadings {

    // Stores and repartition topics are the job's own: binary. What others read stays JSON.
    private static final BinarySerde<FieldQuantity> FIELD_QUANTITY = StateSerdes.FIELD_QUANTITY;
    private static final BinarySerde<EnrichedReading> ENRICHED = StateSerdes.ENRICHED_READING;
    private static final BinarySerde<FieldBucket> FIELD_BUCKET = StateSerdes.FIELD_BUCKET;
    private static final BinarySerde<AggregateKey> AGGREGATE_KEY = StateSerdes.AGGREGATE_KEY;
    private static final BinarySerde<Contribution> CONTRIBUTION = StateSerdes.CONTRIBUTION;
    private static final BinarySerde<AreaState> AREA_STATE = StateSerdes.AREA_STATE;
    private static final JsonSerde<EnrichedReading> ENRICHED_JSON = JsonSerde.of(EnrichedReading.class);
    private static final JsonSerde<AggregateKey> AGGREGATE_KEY_JSON = JsonSerde.of(AggregateKey.class);
    private static final JsonSerde<Aggregate> AGGREGATE = JsonSerde.of(Aggregate.class);

    private AggregateReadings() {
    }

    /** @param grace how long after a bucket ends a late reading may still change it */
    public static Topology build(Duration grace) {
        StreamsBuilder builder = new StreamsBuilder();

        KStream<String, Outcome<EnrichedReading>> checked = builder
                .stream(Topics.READINGS_CLEAN, Consumed.with(Serdes.String(), DecodingSerde.of(EnrichedReading.class))
                        .withTimestampExtractor(new ReadingTimeExtractor())
                        .withName("clean-source"))
                .processValues(() -> new CheckDecoded<>(EnrichedReading::reading), Named.as("decode-check"));

        KStream<String, GatedReading> windowable = Rejections.routeRejected(checked, "decode")
                .processValues(WindowableCheck::new, Named.as("windowable-check"));

        // The grace gate must see records in the order the windows do, so it sits behind the same
        // repartition.
        KStream<FieldQuantity, GatedReading> gated = onTime(windowable, "windowable")
                .selectKey((sensor, enriched) -> new FieldQuantity(enriched.reading().field(), enriched.reading().quantity()),
                        Named.as("key-by-field-quantity"))
                .repartition(Repartitioned.with(FIELD_QUANTITY, ENRICHED).withName("by-field-quantity"))
                .processValues(GraceGate.supplier(grace), Named.as("grace-gate"));

        gated.filter((key, reading) -> reading.verdict() == Verdict.LATE, Named.as("grace-late"))
                .map((key, reading) -> KeyValue.pair(reading.reading().reading().sensor(), reading.reading()),
                        Named.as("late-by-sensor"))
                .to(Topics.READINGS_LATE, Produced.with(Serdes.String(), ENRICHED_JSON).withName("to-late"));

        KGroupedStream<FieldQuantity, EnrichedReading> byFieldQuantity = onTime(gated, "grace")
                .groupByKey(Grouped.with(FIELD_QUANTITY, ENRICHED));

        for (Resolution resolution : Resolution.values()) {
            aggregate(byFieldQuantity, resolution, grace);
        }
        return builder.build();
    }

    private static void aggregate(KGroupedStream<FieldQuantity, EnrichedReading> byFieldQuantity,
                                  Resolution resolution, Duration grace) {
        String suffix = "-" + resolution.name().toLowerCase(Locale.ROOT);

        KTable<Windowed<FieldQuantity>, FieldBucket> fields = byFieldQuantity
                .windowedBy(TimeWindows.ofSizeAndGrace(resolution.duration(), grace))
                .aggregate(FieldBucket::empty, (key, enriched, bucket) -> bucket.add(enriched),
                        Named.as("field" + suffix),
                        Materialized.<FieldQuantity, FieldBucket, WindowStore<Bytes, byte[]>>as("field" + suffix)
                                .withKeySerde(FIELD_QUANTITY)
                                .withValueSerde(FIELD_BUCKET));

        fields.toStream(Named.as("field" + suffix + "-changes"))
                .filter((window, bucket) -> bucket != null && !bucket.isEmpty(), Named.as("field" + suffix + "-filled"))
                .map((window, bucket) -> {
                    AggregateKey key = fieldKey(window, resolution);
                    return KeyValue.pair(key, bucket.toAggregate(key));
                }, Named.as("field" + suffix + "-aggregate"))
                .to(Topics.AGGREGATES, toAggregates("field" + suffix + "-to-aggregates"));

        KTable<AggregateKey, AreaState> level = rollUp(fields.groupBy(
                (window, bucket) -> bucket.isEmpty() ? null : KeyValue.pair(
                        fieldKey(window, resolution).withArea(Level.COUNTRY, bucket.placement().codeAt(Level.COUNTRY)),
                        new Contribution(window.key().field(), bucket.placement(), bucket.weighted())),
                Grouped.with("to-country" + suffix, AGGREGATE_KEY, CONTRIBUTION)), "country" + suffix);

        for (Level parent : List.of(Level.SUBREGION, Level.REGION, Level.WORLD)) {
            String name = parent.id() + suffix;
            level = rollUp(level.groupBy(
                    (key, state) -> state.isEmpty() ? null : KeyValue.pair(
                            key.withArea(parent, state.placement().codeAt(parent)),
                            new Contribution(key.area(), state.placement(), state.merged())),
                    Grouped.with("to-" + name, AGGREGATE_KEY, CONTRIBUTION)), name);
        }
    }

    /**
     * Adder and subtractor work on the child's entry, so an update (subtract old, add new) replaces it, and
     * a child that moved to another parent leaves this one.
     */
    private static KTable<AggregateKey, AreaState> rollUp(
            KGroupedTable<AggregateKey, Contribution> contributions, String name) {
        KTable<AggregateKey, AreaState> areas = contributions.aggregate(
                AreaState::empty,
                (key, contribution, state) -> state.with(contribution),
                (key, contribution, state) -> state.without(contribution),
                Named.as(name),
                Materialized.<AggregateKey, AreaState, KeyValueStore<Bytes, byte[]>>as(name)
                        .withKeySerde(AGGREGATE_KEY)
                        .withValueSerde(AREA_STATE));
        areas.toStream(Named.as(name + "-changes"))
                .mapValues((key, state) -> state == null ? null : state.toAggregate(key), Named.as(name + "-aggregate"))
                .to(Topics.AGGREGATES, toAggregates(name + "-to-aggregates"));
        return areas;
    }

    /**
     * The readings the gate let through. The others are counted by their gate; late ones also go to
     * {@code soil.readings.late}.
     */
    private static <K> KStream<K, EnrichedReading> onTime(KStream<K, GatedReading> gated, String gate) {
        return gated.filter((key, reading) -> reading.onTime(), Named.as(gate + "-on-time"))
                .mapValues(GatedReading::reading, Named.as(gate + "-passed"));
    }

    private static Produced<AggregateKey, Aggregate> toAggregates(String name) {
        return Produced.with(AGGREGATE_KEY_JSON, AGGREGATE).withName(name);
    }

    private static AggregateKey fieldKey(Windowed<FieldQuantity> window, Resolution resolution) {
        return new AggregateKey(Level.FIELD, window.key().field(), window.key().quantity(), resolution,
                Instant.ofEpochMilli(window.window().start()));
    }
}
