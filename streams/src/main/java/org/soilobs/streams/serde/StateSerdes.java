package org.soilobs.streams.serde;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.soilobs.model.AggregateKey;
import org.soilobs.model.EnrichedReading;
import org.soilobs.model.Level;
import org.soilobs.model.Placement;
import org.soilobs.model.Quantity;
import org.soilobs.model.Reading;
import org.soilobs.model.Resolution;
import org.soilobs.model.Stats;
import org.soilobs.streams.aggregate.AreaState;
import org.soilobs.streams.aggregate.Contribution;
import org.soilobs.streams.aggregate.FieldBucket;
import org.soilobs.streams.aggregate.FieldQuantity;
import org.soilobs.streams.quality.SeriesState;
import org.soilobs.streams.serde.BinarySerde.In;
import org.soilobs.streams.serde.BinarySerde.Out;

/** The {@link BinarySerde}s of every state-store value and repartitioned record of the streams jobs. */
public final class StateSerdes {

    public static final BinarySerde<FieldQuantity> FIELD_QUANTITY = BinarySerde.of("FieldQuantity",
            new BinarySerde.Codec<>() {
                @Override
                public void write(Out out, FieldQuantity value) {
                    out.writeString(value.field());
                    out.writeString(value.quantity().id());
                }

                @Override
                public FieldQuantity read(In in) {
                    return new FieldQuantity(in.readString(), Quantity.fromId(in.readString()));
                }
            });

    public static final BinarySerde<EnrichedReading> ENRICHED_READING = BinarySerde.of("EnrichedReading",
            new BinarySerde.Codec<>() {
                @Override
                public void write(Out out, EnrichedReading value) {
                    writeEnriched(out, value);
                }

                @Override
                public EnrichedReading read(In in) {
                    return readEnriched(in);
                }
            });

    public static final BinarySerde<FieldBucket> FIELD_BUCKET = BinarySerde.of("FieldBucket",
            new BinarySerde.Codec<>() {
                @Override
                public void write(Out out, FieldBucket value) {
                    writeNullablePlacement(out, value.placement());
                    out.writeDouble(value.areaHa());
                    writeStats(out, value.stats());
                }

                @Override
                public FieldBucket read(In in) {
                    return new FieldBucket(readNullablePlacement(in), in.readDouble(), readStats(in));
                }
            });

    public static final BinarySerde<AggregateKey> AGGREGATE_KEY = BinarySerde.of("AggregateKey",
            new BinarySerde.Codec<>() {
                @Override
                public void write(Out out, AggregateKey value) {
                    out.writeString(value.level().id());
                    out.writeString(value.area());
                    out.writeString(value.quantity().id());
                    out.writeString(value.resolution().id());
                    out.writeInstant(value.bucket());
                }

                @Override
                public AggregateKey read(In in) {
                    return new AggregateKey(Level.fromId(in.readString()), in.readString(),
                            Quantity.fromId(in.readString()), Resolution.fromId(in.readString()), in.readInstant());
                }
            });

    public static final BinarySerde<Contribution> CONTRIBUTION = BinarySerde.of("Contribution",
            new BinarySerde.Codec<>() {
                @Override
                public void write(Out out, Contribution value) {
                    out.writeString(value.child());
                    writePlacement(out, value.placement());
                    writeStats(out, value.stats());
                }

                @Override
                public Contribution read(In in) {
                    return new Contribution(in.readString(), readPlacement(in), readStats(in));
                }
            });

    public static final BinarySerde<AreaState> AREA_STATE = BinarySerde.of("AreaState",
            new BinarySerde.Codec<>() {
                @Override
                public void write(Out out, AreaState value) {
                    writeNullablePlacement(out, value.placement());
                    out.writeVarLong(value.children().size());
                    value.children().forEach((child, stats) -> {
                        out.writeString(child);
                        writeStats(out, stats);
                    });
                }

                @Override
                public AreaState read(In in) {
                    Placement placement = readNullablePlacement(in);
                    int n = in.count();
                    SortedMap<String, Stats> children = new TreeMap<>();
                    for (int i = 0; i < n; i++) {
                        children.put(in.readString(), readStats(in));
                    }
                    return new AreaState(placement, children);
                }
            });

    public static final BinarySerde<SeriesState> SERIES_STATE = BinarySerde.of("SeriesState",
            new BinarySerde.Codec<>() {
                @Override
                public void write(Out out, SeriesState value) {
                    out.writeVarLong(value.recent().size());
                    for (SeriesState.Point point : value.recent()) {
                        writePoint(out, point);
                    }
                    out.writeNullableDouble(value.lowPlateau());
                    out.writeNullableDouble(value.peak());
                    SeriesState.Pending pending = value.pending();
                    out.writeBoolean(pending != null);
                    if (pending != null) {
                        writeEnriched(out, pending.reading());
                        out.writeLong(pending.timestamp());
                    }
                }

                @Override
                public SeriesState read(In in) {
                    int n = in.count();
                    List<SeriesState.Point> recent = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        recent.add(new SeriesState.Point(in.readInstant(), in.readDouble()));
                    }
                    Double lowPlateau = in.readNullableDouble();
                    Double peak = in.readNullableDouble();
                    SeriesState.Pending pending = in.readBoolean()
                            ? new SeriesState.Pending(readEnriched(in), in.readLong()) : null;
                    return new SeriesState(recent, lowPlateau, peak, pending);
                }
            });

    private StateSerdes() {
    }

    private static void writePoint(Out out, SeriesState.Point point) {
        out.writeInstant(point.time());
        out.writeDouble(point.value());
    }

    static void writeEnriched(Out out, EnrichedReading value) {
        Reading r = value.reading();
        out.writeString(r.gateway());
        out.writeLong(r.seq());
        out.writeString(r.sensor());
        out.writeString(r.field());
        out.writeString(r.quantity().id());
        out.writeInstant(r.time());
        out.writeDouble(r.value());
        out.writeInt(r.depthTopCm());
        out.writeInt(r.depthBottomCm());
        out.writeInstant(r.receivedAt());
        writePlacement(out, value.placement());
        out.writeDouble(value.areaHa());
        out.writeStrings(value.flags());
        out.writeBoolean(value.corrects() != null);
        if (value.corrects() != null) {
            out.writeStrings(value.corrects());
        }
    }

    static EnrichedReading readEnriched(In in) {
        Reading reading = new Reading(in.readString(), in.readLong(), in.readString(), in.readString(),
                Quantity.fromId(in.readString()), in.readInstant(), in.readDouble(), in.readInt(), in.readInt(),
                in.readInstant());
        Placement placement = readPlacement(in);
        double areaHa = in.readDouble();
        List<String> flags = in.readStrings();
        List<String> corrects = in.readBoolean() ? in.readStrings() : null;
        return new EnrichedReading(reading, placement, areaHa, flags, corrects);
    }

    private static void writePlacement(Out out, Placement placement) {
        out.writeString(placement.country());
        out.writeString(placement.subregion());
        out.writeString(placement.region());
    }

    private static Placement readPlacement(In in) {
        return new Placement(in.readString(), in.readString(), in.readString());
    }

    private static void writeNullablePlacement(Out out, Placement placement) {
        out.writeBoolean(placement != null);
        if (placement != null) {
            writePlacement(out, placement);
        }
    }

    private static Placement readNullablePlacement(In in) {
        return in.readBoolean() ? readPlacement(in) : null;
    }

    private static void writeStats(Out out, Stats stats) {
        out.writeVarLong(stats.count());
        out.writeDouble(stats.sum());
        out.writeDouble(stats.sumSq());
        out.writeNullableDouble(stats.min());
        out.writeNullableDouble(stats.max());
        out.writeNullableInstant(stats.first());
        out.writeNullableInstant(stats.last());
        out.writeDouble(stats.areaHa());
        out.writeDouble(stats.areaWeightedSum());
        out.writeVarLong(stats.flags().size());
        stats.flags().forEach((flag, n) -> {
            out.writeString(flag);
            out.writeVarLong(n);
        });
    }

    private static Stats readStats(In in) {
        long count = in.readVarLong();
        double sum = in.readDouble();
        double sumSq = in.readDouble();
        Double min = in.readNullableDouble();
        Double max = in.readNullableDouble();
        var first = in.readNullableInstant();
        var last = in.readNullableInstant();
        double areaHa = in.readDouble();
        double areaWeightedSum = in.readDouble();
        int n = in.count();
        SortedMap<String, Long> flags = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            flags.put(in.readString(), in.readVarLong());
        }
        return new Stats(count, sum, sumSq, min, max, first, last, areaHa, areaWeightedSum, flags);
    }
}
