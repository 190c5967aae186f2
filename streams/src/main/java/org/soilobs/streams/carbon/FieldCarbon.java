package org.soilobs.streams.carbon;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.soilobs.carbon.FieldTrend;
import org.soilobs.carbon.MonthPoint;
import org.soilobs.carbon.ProgressTotals;
import org.soilobs.carbon.SocStock;
import org.soilobs.model.Aggregate;
import org.soilobs.model.AggregateKey;
import org.soilobs.model.Field;
import org.soilobs.model.Level;
import org.soilobs.model.Quantity;
import org.soilobs.model.Resolution;
import org.soilobs.model.Stats;
import org.soilobs.streams.serde.JsonSerde;

/**
 * One field's daily SOC stock and trend, keyed by field id (docs/streams.md "Carbon").
 *
 * <p>A day's stock is its SOC statistics × {@link SocStock#factor}, with that day's measured bulk density
 * where there is one and the registered one otherwise. Each change of a day re-publishes the day's
 * {@code soc_stock} statistics, replaces the day in its month, and refits the field's trend on its monthly
 * points: a late or corrected day therefore changes the trend exactly once, as a replacement.
 */
final class FieldCarbon implements Processor<String, FieldInput, String, FieldUpdate> {

    static final String DAYS_STORE = "carbon-days";
    static final String MONTHS_STORE = "carbon-months";
    static final String SERIES_STORE = "carbon-series";

    private ProcessorContext<String, FieldUpdate> context;
    private KeyValueStore<String, DayInputs> days;
    private KeyValueStore<String, MonthDays> months;
    private KeyValueStore<String, FieldSeries> series;

    static ProcessorSupplier<String, FieldInput, String, FieldUpdate> supplier() {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, FieldInput, String, FieldUpdate> get() {
                return new FieldCarbon();
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DAYS_STORE), Serdes.String(),
                                JsonSerde.of(DayInputs.class)),
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(MONTHS_STORE), Serdes.String(),
                                JsonSerde.of(MonthDays.class)),
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SERIES_STORE), Serdes.String(),
                                JsonSerde.of(FieldSeries.class)));
            }
        };
    }

    @Override
    public void init(ProcessorContext<String, FieldUpdate> context) {
        this.context = context;
        this.days = context.getStateStore(DAYS_STORE);
        this.months = context.getStateStore(MONTHS_STORE);
        this.series = context.getStateStore(SERIES_STORE);
    }

    @Override
    public void process(Record<String, FieldInput> record) {
        Aggregate aggregate = record.value().aggregate();
        Field field = record.value().field();
        Instant bucket = aggregate.key().bucket();
        LocalDate day = LocalDate.ofInstant(bucket, ZoneOffset.UTC);
        String dayKey = field.id() + "/" + day;

        DayInputs inputs = days.get(dayKey);
        inputs = inputs == null ? DayInputs.empty() : inputs;
        inputs = aggregate.key().quantity() == Quantity.SOC
                ? inputs.withSoc(aggregate.stats())
                : inputs.withBulkDensity(aggregate.stats());
        days.put(dayKey, inputs);
        if (inputs.soc() == null) {
            return;
        }

        double bulkDensity = inputs.bulkDensity() == null ? field.bulkDensity() : inputs.bulkDensity();
        double factor = SocStock.factor(bulkDensity, field.depthCm(), field.coarseFraction());
        Stats stock = SocStock.stats(inputs.soc(), factor);
        AggregateKey stockKey = new AggregateKey(Level.FIELD, field.id(), Quantity.SOC_STOCK, Resolution.DAY, bucket);
        context.forward(record.withValue(FieldUpdate.stock(stockKey, field.placement(),
                stock.weightedByFieldArea(field.areaHa()))));

        String month = day.toString().substring(0, 7);
        String monthKey = field.id() + "/" + month;
        MonthDays monthDays = months.get(monthKey);
        monthDays = (monthDays == null ? MonthDays.empty() : monthDays)
                .with(day, stock.count() == 0 ? null : stock.mean());
        months.put(monthKey, monthDays);
        MonthPoint point = monthDays.point(month);

        FieldSeries before = series.get(field.id());
        FieldSeries after = (before == null ? FieldSeries.empty() : before).with(month, point, bucket);
        series.put(field.id(), after);

        FieldTrend trend = FieldTrend.of(after.months().values());
        if (trend.points() == 0) {
            // no usable month (yet, or any more): the field counts nowhere
            context.forward(record.withValue(FieldUpdate.progress(field.placement(), null)));
            return;
        }
        FieldProgress progress = new FieldProgress(field.placement(),
                ProgressTotals.ofField(trend, field.areaHa(), after.asOf()),
                ProgressTotals.fieldProgress(field.id(), trend, field.areaHa(), after.asOf()));
        context.forward(record.withValue(FieldUpdate.progress(field.placement(), progress)));
    }
}
