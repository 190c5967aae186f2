package org.soilobs.streams.carbon;

import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedTable;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.soilobs.model.Aggregate;
import org.soilobs.model.AggregateKey;
import org.soilobs.model.Field;
import org.soilobs.model.Level;
import org.soilobs.model.Progress;
import org.soilobs.model.Quantity;
import org.soilobs.model.Resolution;
import org.soilobs.model.Topics;
import org.soilobs.streams.aggregate.AreaState;
import org.soilobs.streams.aggregate.Contribution;
import org.soilobs.streams.check.ArrivalTimeExtractor;
import org.soilobs.streams.serde.Decoded;
import org.soilobs.streams.serde.DecodingSerde;
import org.soilobs.streams.serde.BinarySerde;
import org.soilobs.streams.serde.JsonSerde;
import org.soilobs.streams.serde.StateSerdes;

/**
 * The "4 per 1000" job (DESIGN §6, issue 7): daily field {@code soc} (and {@code bulk_density}) aggregates
 * from {@code soil.aggregates} + the field registry → each field's daily SOC stock, published as
 * {@code soc_stock} P1D aggregates at every level into {@code soil.aggregates}, and each field's trend,
 * rolled up field → country → sub-region → region → world into {@code soil.progress}, keyed
 * {@code level/code}.
 *
 * <p>Both roll-ups are {@code KTable.groupBy(...).aggregate(adder, subtractor)} over the level below whose
 * state keeps each child's latest contribution (the design of {@code AggregateReadings}), so a changed day or
 * trend replaces the child's old contribution at every level.
 */
public final class CarbonProgress {

    static final String FIELDS_STORE = "carbon-fields";

    private static final JsonSerde<FieldInput> FIELD_INPUT = JsonSerde.of(FieldInput.class);
    private static final JsonSerde<FieldUpdate> FIELD_UPDATE = JsonSerde.of(FieldUpdate.class);
    private static final JsonSerde<FieldProgress> FIELD_PROGRESS = JsonSerde.of(FieldProgress.class);
    private static final DecodingSerde<Aggregate> AGGREGATE_VALUE = DecodingSerde.of(Aggregate.class);
    private static final JsonSerde<AggregateKey> AGGREGATE_KEY = JsonSerde.of(AggregateKey.class);
    private static final JsonSerde<Aggregate> AGGREGATE = JsonSerde.of(Aggregate.class);
    private static final BinarySerde<Contribution> CONTRIBUTION = StateSerdes.CONTRIBUTION;
    private static final BinarySerde<AreaState> AREA_STATE = StateSerdes.AREA_STATE;
    private static final JsonSerde<ProgressContribution> PROGRESS_CONTRIBUTION = JsonSerde.of(ProgressContribution.class);
    private static final JsonSerde<ProgressState> PROGRESS_STATE = JsonSerde.of(ProgressState.class);
    private static final JsonSerde<Progress> PROGRESS = JsonSerde.of(Progress.class);

    private CarbonProgress() {
    }

    public static Topology build() {
        StreamsBuilder builder = new StreamsBuilder();

        GlobalKTable<String, Decoded<Field>> fields = builder.globalTable(Topics.FIELDS,
                Consumed.with(Serdes.String(), DecodingSerde.of(Field.class))
                        .withTimestampExtractor(new ArrivalTimeExtractor())
                        .withName("carbon-fields-source"),
                Materialized.<String, Decoded<Field>, KeyValueStore<Bytes, byte[]>>as(FIELDS_STORE)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(DecodingSerde.of(Field.class)));

        // The aggregates come from our own aggregation job, so an undecodable one is a bug there, counted by
        // the sink that reads the same topic; here it is only passed over. An unregistered field (removed
        // since) has no bulk density or area to weigh its stock with and is passed over too. The job reads
        // every aggregate but needs only daily field SOC and bulk density: values stay bytes until the key
        // has selected them, as decoding every value was most of this job's source cost.
        KStream<String, FieldUpdate> updates = builder
                .stream(Topics.AGGREGATES, Consumed.with(DecodingSerde.of(AggregateKey.class), Serdes.ByteArray())
                        .withName("carbon-aggregates-source"))
                .filter((key, value) -> key != null && key.isOk() && value != null && isCarbonInput(key.value()),
                        Named.as("carbon-daily-field-inputs"))
                .mapValues(value -> AGGREGATE_VALUE.deserializer().deserialize(Topics.AGGREGATES, value),
                        Named.as("carbon-decode-aggregate"))
                .filter((key, value) -> value != null && value.isOk(), Named.as("carbon-decoded-aggregates"))
                .map((key, value) -> KeyValue.pair(key.value().area(), value.value()), Named.as("carbon-by-field-id"))
                .join(fields, (field, aggregate) -> field,
                        (aggregate, registration) -> registration.isOk()
                                && registration.value().id().equals(aggregate.key().area())
                                ? new FieldInput(aggregate, registration.value()) : null,
                        Named.as("carbon-join-field"))
                .filter((field, input) -> input != null, Named.as("carbon-registered"))
                .repartition(Repartitioned.with(Serdes.String(), FIELD_INPUT).withName("carbon-by-field"))
                .process(FieldCarbon.supplier(), Named.as("carbon-field"));

        stocks(updates);
        progress(updates);
        return builder.build();
    }

    static boolean isCarbonInput(AggregateKey key) {
        return key.level() == Level.FIELD && key.resolution() == Resolution.DAY
                && (key.quantity() == Quantity.SOC || key.quantity() == Quantity.BULK_DENSITY);
    }

    /** {@code soc_stock} P1D aggregates, rolled up like every other quantity. */
    private static void stocks(KStream<String, FieldUpdate> updates) {
        KStream<AggregateKey, FieldUpdate> fieldStocks = updates
                .filter((field, update) -> update.isStock(), Named.as("carbon-stocks"))
                .selectKey((field, update) -> update.stockKey(), Named.as("carbon-stock-key"));
        fieldStocks.mapValues((key, update) -> new Aggregate(key, update.stock(), 1), Named.as("carbon-field-stock"))
                .to(Topics.AGGREGATES, Produced.with(AGGREGATE_KEY, AGGREGATE).withName("carbon-field-stock-out"));

        // Keyed by field and day already, and partitioned by field: the table needs no repartition.
        KTable<AggregateKey, Contribution> table = fieldStocks
                .mapValues((key, update) -> new Contribution(key.area(), update.placement(), update.stock()),
                        Named.as("carbon-field-stock-contribution"))
                .toTable(Named.as("carbon-field-stock-table"),
                        Materialized.<AggregateKey, Contribution, KeyValueStore<Bytes, byte[]>>as("carbon-field-stock")
                                .withKeySerde(AGGREGATE_KEY).withValueSerde(CONTRIBUTION));

        KTable<AggregateKey, AreaState> level = rollUpStock(table.groupBy(
                (key, contribution) -> KeyValue.pair(
                        key.withArea(Level.COUNTRY, contribution.placement().codeAt(Level.COUNTRY)), contribution),
                Grouped.with("carbon-to-country-stock", AGGREGATE_KEY, CONTRIBUTION)), "carbon-country-stock");
        for (Level parent : List.of(Level.SUBREGION, Level.REGION, Level.WORLD)) {
            String name = "carbon-" + parent.id() + "-stock";
            level = rollUpStock(level.groupBy(
                    (key, state) -> state.isEmpty() ? null : KeyValue.pair(
                            key.withArea(parent, state.placement().codeAt(parent)),
                            new Contribution(key.area(), state.placement(), state.merged())),
                    Grouped.with("carbon-to-" + parent.id() + "-stock", AGGREGATE_KEY, CONTRIBUTION)), name);
        }
    }

    private static KTable<AggregateKey, AreaState> rollUpStock(KGroupedTable<AggregateKey, Contribution> grouped,
                                                               String name) {
        KTable<AggregateKey, AreaState> areas = grouped.aggregate(
                AreaState::empty,
                (key, contribution, state) -> state.with(contribution),
                (key, contribution, state) -> state.without(contribution),
                Named.as(name),
                Materialized.<AggregateKey, AreaState, KeyValueStore<Bytes, byte[]>>as(name)
                        .withKeySerde(AGGREGATE_KEY).withValueSerde(AREA_STATE));
        areas.toStream(Named.as(name + "-changes"))
                .mapValues((key, state) -> state == null ? null : state.toAggregate(key), Named.as(name + "-aggregate"))
                .to(Topics.AGGREGATES, Produced.with(AGGREGATE_KEY, AGGREGATE).withName(name + "-out"));
        return areas;
    }

    /** Field progress to {@code soil.progress}, then rolled up level by level. */
    private static void progress(KStream<String, FieldUpdate> updates) {
        KTable<String, FieldProgress> fieldProgress = updates
                .filter((field, update) -> !update.isStock(), Named.as("carbon-progress-updates"))
                .mapValues(update -> update.progress(), Named.as("carbon-field-progress-value"))
                .toTable(Named.as("carbon-field-progress-table"),
                        Materialized.<String, FieldProgress, KeyValueStore<Bytes, byte[]>>as("carbon-field-progress")
                                .withKeySerde(Serdes.String()).withValueSerde(FIELD_PROGRESS));
        fieldProgress.toStream(Named.as("carbon-field-progress-changes"))
                .map((field, progress) -> KeyValue.pair(key(Level.FIELD, field), progress == null ? null : progress.progress()),
                        Named.as("carbon-field-progress"))
                .to(Topics.PROGRESS, Produced.with(Serdes.String(), PROGRESS).withName("carbon-field-progress-out"));

        KTable<String, ProgressState> level = rollUpProgress(fieldProgress.groupBy(
                (field, progress) -> KeyValue.pair(key(Level.COUNTRY, progress.placement().country()),
                        new ProgressContribution(field, progress.placement(), progress.totals())),
                Grouped.with("carbon-to-country-progress", Serdes.String(), PROGRESS_CONTRIBUTION)), Level.COUNTRY);
        for (Level parent : List.of(Level.SUBREGION, Level.REGION, Level.WORLD)) {
            level = rollUpProgress(level.groupBy(
                    (key, state) -> state.isEmpty() ? null : KeyValue.pair(
                            key(parent, state.placement().codeAt(parent)),
                            new ProgressContribution(key, state.placement(), state.merged())),
                    Grouped.with("carbon-to-" + parent.id() + "-progress", Serdes.String(), PROGRESS_CONTRIBUTION)),
                    parent);
        }
    }

    private static KTable<String, ProgressState> rollUpProgress(KGroupedTable<String, ProgressContribution> grouped,
                                                                Level level) {
        String name = "carbon-" + level.id() + "-progress";
        KTable<String, ProgressState> areas = grouped.aggregate(
                ProgressState::empty,
                (key, contribution, state) -> state.with(contribution),
                (key, contribution, state) -> state.without(contribution),
                Named.as(name),
                Materialized.<String, ProgressState, KeyValueStore<Bytes, byte[]>>as(name)
                        .withKeySerde(Serdes.String()).withValueSerde(PROGRESS_STATE));
        areas.toStream(Named.as(name + "-changes"))
                .mapValues((key, state) -> state == null ? null : state.toProgress(level, code(key)),
                        Named.as(name + "-value"))
                .to(Topics.PROGRESS, Produced.with(Serdes.String(), PROGRESS).withName(name + "-out"));
        return areas;
    }

    /** The key of an area on {@code soil.progress}: {@code level/code}, e.g. {@code country/FRA}. */
    public static String key(Level level, String code) {
        return level.id() + "/" + code;
    }

    private static String code(String key) {
        return key.substring(key.indexOf('/') + 1);
    }
}
