package org.soilobs.streams.quality;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.soilobs.model.EnrichedReading;
import org.soilobs.model.Quantity;
import org.soilobs.model.Reading;
import org.soilobs.streams.check.EventTime;
import org.soilobs.streams.quality.SeriesState.Point;
import org.soilobs.streams.quality.SeriesState.Pending;
import org.soilobs.streams.serde.StateSerdes;

/**
 * Quality control after the International Soil Moisture Network (Dorigo et al. 2013; DESIGN §4; the rules,
 * thresholds and worked examples are in docs/science.md, "Quality control"). It flags, never erases: every
 * reading goes on, carrying its codes, or {@code ["G"]} when no rule fired.
 *
 * <p>Rules about the reading alone (range, saturation, time, frozen soil) are decided on arrival. Rules about
 * its neighbours (spike, drop, jump, plateaus) need the series' history, kept per (sensor, quantity) in a
 * state store. A spike (D06) also needs the next reading, which nobody should wait for: every reading goes
 * out at once, judged without its successor (a spike then shows as the drop or jump of its first edge), and
 * stays <em>pending</em> in the series' state. When the next reading arrives the pending one is judged
 * again; if that makes it a spike, a correction of it goes out — the same reading, same key and timestamp,
 * with its final flags and, in {@link EnrichedReading#corrects()}, the flags it first went out with — so that
 * the aggregates and the database replace its first version. Only a spike changes a judgement, and a spike's
 * first version always carries D07 or D08, so a reading published good is never corrected. Records are keyed
 * by sensor, so one sensor's series all live in one task and the frozen-soil rule can see its temperature.
 *
 * <p>A reading that is not later than its series' latest (out of order, or a second value for the same
 * time) is judged by the arrival rules only and released at once: its neighbours were judged without it.
 */
public final class QualityControl implements Processor<String, Unjudged, String, EnrichedReading> {

    public static final String SERIES_STORE = "qc-series";

    /** Below the plausible range. */
    public static final String BELOW_RANGE = "C01";
    /** Above the plausible range. */
    public static final String ABOVE_RANGE = "C02";
    /** VWC above the field's saturation (its porosity), known when its soil texture is registered. */
    public static final String ABOVE_SATURATION = "C03";
    /** Soil temperature below 0 °C: the water may be frozen and a dielectric VWC sensor reads too low. */
    public static final String FROZEN = "D01";
    public static final String SPIKE = "D06";
    public static final String DROP = "D07";
    public static final String JUMP = "D08";
    public static final String LOW_PLATEAU = "D09";
    public static final String SATURATED_PLATEAU = "D10";
    /** Observatory code, not ISMN: stamped further after its arrival than any sane clock. */
    public static final String FROM_THE_FUTURE = "T01";
    /** Observatory code, not ISMN: stamped longer before its arrival than the late limit. */
    public static final String TOO_OLD = "T02";

    /** Neighbours further apart than this are not consecutive readings of one series, and are not compared. */
    static final Duration MAX_GAP = Duration.ofHours(3);
    /** How close in time the sensor's soil temperature must be for the frozen-soil rule. */
    static final Duration TEMPERATURE_WINDOW = Duration.ofHours(3);
    /** How far a plateau's readings may wander, m3/m3. */
    static final double PLATEAU_TOLERANCE = 0.005;
    /** The smallest saturated VWC (porosity) of the USDA textures, sand (Clapp and Hornberger 1978). */
    static final double LOWEST_SATURATION = 0.395;
    /** The codes a reading's neighbours decide; the others are decided on arrival and never change. */
    private static final Set<String> NEIGHBOURHOOD = Set.of(SPIKE, DROP, JUMP, LOW_PLATEAU, SATURATED_PLATEAU);

    private final long maxAgeMs;
    private ProcessorContext<String, EnrichedReading> context;
    private KeyValueStore<String, SeriesState> series;

    private QualityControl(Duration maxAge) {
        this.maxAgeMs = maxAge.toMillis();
    }

    /** @param maxAge a reading stamped longer than this before its arrival is flagged {@link #TOO_OLD} */
    public static ProcessorSupplier<String, Unjudged, String, EnrichedReading> supplier(Duration maxAge) {
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge must be positive, was " + maxAge);
        }
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, Unjudged, String, EnrichedReading> get() {
                return new QualityControl(maxAge);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SERIES_STORE),
                        Serdes.String(), StateSerdes.SERIES_STATE));
            }
        };
    }

    @Override
    public void init(ProcessorContext<String, EnrichedReading> context) {
        this.context = context;
        this.series = context.getStateStore(SERIES_STORE);
    }

    @Override
    public void process(Record<String, Unjudged> record) {
        EnrichedReading enriched = record.value().reading();
        Reading reading = enriched.reading();
        String key = seriesKey(reading.sensor(), reading.quantity());
        SortedSet<String> flags = arrivalFlags(reading, record.timestamp(), record.value().saturation());
        SeriesState state = stateOf(key);
        Point latest = state.latest();
        if (latest != null && !reading.time().isAfter(latest.time())) {
            context.forward(record.withValue(withFlags(enriched, flags)));
            return;
        }
        Point self = new Point(reading.time(), reading.value());
        if (state.pending() != null) {
            state = settle(state, self);
        }
        Judgement provisional = judge(reading.quantity(), state, self, null);
        flags.addAll(provisional.flags());
        EnrichedReading published = withFlags(enriched, flags);
        context.forward(record.withValue(published));
        series.put(key, state.withPending(new Pending(published, record.timestamp())));
    }

    /**
     * Judges the pending reading again now that its successor {@code next} is known, sends a correction when
     * that changes its flags, and returns the history with it finally judged.
     */
    private SeriesState settle(SeriesState state, Point next) {
        Pending pending = state.pending();
        EnrichedReading published = pending.reading();
        Point self = pending.point();
        Judgement judgement = judge(published.reading().quantity(), state, self, next);
        SortedSet<String> flags = new TreeSet<>(published.flags());
        flags.remove(EnrichedReading.GOOD);
        flags.removeAll(NEIGHBOURHOOD);
        flags.addAll(judgement.flags());
        EnrichedReading judged = withFlags(published, flags);
        if (!judged.flags().equals(published.flags())) {
            EnrichedReading correction = new EnrichedReading(judged.reading(), judged.placement(), judged.areaHa(),
                    judged.flags(), published.flags());
            context.forward(new Record<>(published.reading().sensor(), correction, pending.timestamp()));
        }
        return state.settled(self, judgement.flags().contains(SPIKE), judgement.lowPlateau());
    }

    record Judgement(SortedSet<String> flags, Double lowPlateau) {
    }

    /** The neighbourhood rules; {@code next} is the reading's successor, or null while it is not known. */
    static Judgement judge(Quantity quantity, SeriesState state, Point self, Point next) {
        Limits limits = Limits.of(quantity);
        SortedSet<String> flags = new TreeSet<>();
        Point previous = within(state.last(), self);
        Point following = next == null ? null : within(self, next) == null ? null : next;
        if (previous != null) {
            double up = self.value() - previous.value();
            boolean spike = following != null
                    && limits.isSpikeEdge(previous.value(), self.value())
                    && limits.isSpikeEdge(self.value(), following.value())
                    && Math.signum(following.value() - self.value()) == -Math.signum(up)
                    && !limits.isStep(previous.value(), following.value());
            if (spike) {
                flags.add(SPIKE);
            } else if (limits.isStep(previous.value(), self.value())) {
                flags.add(up < 0 ? DROP : JUMP);
            }
        }
        Double lowPlateau = null;
        if (quantity == Quantity.VWC) {
            if (flags.contains(DROP)) {
                lowPlateau = self.value();
            } else if (state.lowPlateau() != null && previous != null
                    && Math.abs(self.value() - state.lowPlateau()) <= PLATEAU_TOLERANCE) {
                lowPlateau = state.lowPlateau();
                flags.add(LOW_PLATEAU);
            }
            if (isSaturatedPlateau(state, self)) {
                flags.add(SATURATED_PLATEAU);
            }
        }
        return new Judgement(flags, lowPlateau);
    }

    /**
     * At or above the lowest saturation any texture has, at the series' highest level so far, and flat with
     * the two readings before it.
     */
    private static boolean isSaturatedPlateau(SeriesState state, Point self) {
        if (self.value() < LOWEST_SATURATION || state.recent().size() < SeriesState.KEPT) {
            return false;
        }
        if (state.peak() != null && self.value() < state.peak() - PLATEAU_TOLERANCE) {
            return false;
        }
        Point earliest = state.recent().get(0);
        if (Duration.between(earliest.time(), self.time()).compareTo(MAX_GAP.multipliedBy(SeriesState.KEPT)) > 0) {
            return false;
        }
        return state.recent().stream().allMatch(p -> Math.abs(p.value() - self.value()) <= PLATEAU_TOLERANCE);
    }

    /** {@code later} when it follows {@code earlier} within {@link #MAX_GAP}, else null. */
    private static Point within(Point earlier, Point later) {
        if (earlier == null || Duration.between(earlier.time(), later.time()).compareTo(MAX_GAP) > 0) {
            return null;
        }
        return earlier;
    }

    /** The rules about the reading alone, decided as it arrives. */
    private SortedSet<String> arrivalFlags(Reading reading, long arrival, Double saturation) {
        SortedSet<String> flags = new TreeSet<>();
        Limits limits = Limits.of(reading.quantity());
        if (reading.value() < limits.plausibleMin()) {
            flags.add(BELOW_RANGE);
        }
        if (reading.value() > limits.plausibleMax()) {
            flags.add(ABOVE_RANGE);
        }
        if (reading.quantity() == Quantity.VWC && saturation != null && reading.value() > saturation) {
            flags.add(ABOVE_SATURATION);
        }
        long time = EventTime.millis(reading.time());
        if (time == EventTime.NONE ? reading.time().isAfter(Instant.EPOCH)
                : time - arrival > EventTime.MAX_AHEAD_OF_ARRIVAL.toMillis()) {
            flags.add(FROM_THE_FUTURE);
        }
        if (time == EventTime.NONE ? reading.time().isBefore(Instant.EPOCH) : arrival - time > maxAgeMs) {
            flags.add(TOO_OLD);
        }
        if (reading.quantity() == Quantity.VWC && isFrozen(reading)) {
            flags.add(FROZEN);
        }
        return flags;
    }

    /** The sensor's newest soil temperature is below 0 °C and close enough in time. */
    private boolean isFrozen(Reading reading) {
        Point temperature = stateOf(seriesKey(reading.sensor(), Quantity.SOIL_TEMPERATURE)).latest();
        return temperature != null
                && temperature.value() < 0
                && Duration.between(temperature.time(), reading.time()).abs().compareTo(TEMPERATURE_WINDOW) <= 0;
    }

    private SeriesState stateOf(String key) {
        SeriesState state = series.get(key);
        return state == null ? SeriesState.empty() : state;
    }

    private static EnrichedReading withFlags(EnrichedReading enriched, SortedSet<String> flags) {
        List<String> codes = flags.isEmpty() ? List.of(EnrichedReading.GOOD) : List.copyOf(flags);
        return new EnrichedReading(enriched.reading(), enriched.placement(), enriched.areaHa(), codes);
    }

    private static String seriesKey(String sensor, Quantity quantity) {
        return sensor + '|' + quantity.id();
    }
}
