package org.soilobs.streams.quality;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.soilobs.model.EnrichedReading;
import org.soilobs.model.Quantity;
import org.soilobs.model.Reading;
import org.soilobs.streams.check.EventTime;
import org.soilobs.streams.quality.SeriesState.Point;
import org.soilobs.streams.serde.JsonSerde;

/**
 * Quality control after the International Soil Moisture Network (Dorigo et al. 2013; DESIGN §4; the rules,
 * thresholds and worked examples are in docs/science.md, "Quality control"). It flags, never erases: every
 * reading goes on, carrying its codes, or {@code ["G"]} when no rule fired.
 *
 * <p>Rules about the reading alone (range, time, frozen soil) are decided on arrival. Rules about its
 * neighbours (spike, drop, jump, plateaus) need the series' history, kept per (sensor, quantity) in a
 * state store, and — for a spike — the next reading: so the latest reading of each series is held back
 * until the next one arrives, or until it has been held for {@code hold} of wall-clock time, whichever comes
 * first (a reading released by the clock cannot be judged a spike). Records are keyed by sensor, so one
 * sensor's series all live in one task and the frozen-soil rule can see the sensor's temperature.
 *
 * <p>A reading that is not later than its series' latest (out of order, or a second value for the same
 * time) is judged by the arrival rules only and released at once: its neighbours were judged without it.
 */
public final class QualityControl implements Processor<String, EnrichedReading, String, EnrichedReading> {

    public static final String SERIES_STORE = "qc-series";
    public static final String HELD_STORE = "qc-held";

    /** Below the plausible range. */
    public static final String BELOW_RANGE = "C01";
    /** Above the plausible range. */
    public static final String ABOVE_RANGE = "C02";
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
    static final Duration PUNCTUATION = Duration.ofSeconds(1);

    private static final JsonSerde<SeriesState> SERIES = JsonSerde.of(SeriesState.class);
    private static final JsonSerde<HeldReading> HELD = JsonSerde.of(HeldReading.class);

    private final long holdMs;
    private final long maxAgeMs;
    private ProcessorContext<String, EnrichedReading> context;
    private KeyValueStore<String, SeriesState> series;
    private KeyValueStore<String, HeldReading> held;

    private QualityControl(Duration hold, Duration maxAge) {
        this.holdMs = hold.toMillis();
        this.maxAgeMs = maxAge.toMillis();
    }

    /**
     * @param hold how long the latest reading of a series waits for the next before it is released
     * @param maxAge a reading stamped longer than this before its arrival is flagged {@link #TOO_OLD}
     */
    public static ProcessorSupplier<String, EnrichedReading, String, EnrichedReading> supplier(Duration hold,
                                                                                                Duration maxAge) {
        if (hold.isNegative() || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("hold must not be negative and maxAge must be positive");
        }
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, EnrichedReading, String, EnrichedReading> get() {
                return new QualityControl(hold, maxAge);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SERIES_STORE), Serdes.String(), SERIES),
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(HELD_STORE), Serdes.String(), HELD));
            }
        };
    }

    @Override
    public void init(ProcessorContext<String, EnrichedReading> context) {
        this.context = context;
        this.series = context.getStateStore(SERIES_STORE);
        this.held = context.getStateStore(HELD_STORE);
        context.schedule(PUNCTUATION, PunctuationType.WALL_CLOCK_TIME, this::releaseExpired);
    }

    @Override
    public void process(Record<String, EnrichedReading> record) {
        EnrichedReading enriched = record.value();
        Reading reading = enriched.reading();
        String key = seriesKey(reading.sensor(), reading.quantity());
        EnrichedReading judged = withFlags(enriched, arrivalFlags(reading, record.timestamp()));
        SeriesState state = stateOf(key);
        HeldReading waiting = held.get(key);
        Instant latest = waiting != null ? waiting.reading().reading().time()
                : state.last() != null ? state.last().time() : null;
        if (latest != null && !reading.time().isAfter(latest)) {
            context.forward(record.withValue(judged));
            return;
        }
        if (waiting != null) {
            release(key, waiting, state, new Point(reading.time(), reading.value()));
        }
        held.put(key, new HeldReading(judged, record.timestamp(), context.currentSystemTimeMs()));
    }

    private void releaseExpired(long now) {
        List<KeyValue<String, HeldReading>> due = new ArrayList<>();
        try (KeyValueIterator<String, HeldReading> all = held.all()) {
            all.forEachRemaining(entry -> {
                if (now - entry.value.heldSinceMs() >= holdMs) {
                    due.add(entry);
                }
            });
        }
        for (KeyValue<String, HeldReading> entry : due) {
            release(entry.key, entry.value, stateOf(entry.key), null);
            held.delete(entry.key);
        }
    }

    /** Judges the held reading against the series' history and its successor (null if none), and sends it on. */
    private void release(String key, HeldReading waiting, SeriesState state, Point next) {
        Reading reading = waiting.reading().reading();
        Point self = new Point(reading.time(), reading.value());
        SortedSet<String> flags = new TreeSet<>(waiting.reading().flags());
        flags.remove(EnrichedReading.GOOD);
        Judgement judgement = judge(reading.quantity(), state, self, next);
        flags.addAll(judgement.flags());
        if (!judgement.flags().contains(SPIKE)) {
            series.put(key, state.after(self, judgement.lowPlateau()));
        }
        context.forward(new Record<>(reading.sensor(), withFlags(waiting.reading(), flags), waiting.timestamp()));
    }

    record Judgement(SortedSet<String> flags, Double lowPlateau) {
    }

    /** The neighbourhood rules, decided once a reading's successor is known (or will not be waited for). */
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
    private SortedSet<String> arrivalFlags(Reading reading, long arrival) {
        SortedSet<String> flags = new TreeSet<>();
        Limits limits = Limits.of(reading.quantity());
        if (reading.value() < limits.plausibleMin()) {
            flags.add(BELOW_RANGE);
        }
        if (reading.value() > limits.plausibleMax()) {
            flags.add(ABOVE_RANGE);
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

    /** The sensor's soil temperature nearest in the past (held or released) is below 0 °C and recent enough. */
    private boolean isFrozen(Reading reading) {
        String key = seriesKey(reading.sensor(), Quantity.SOIL_TEMPERATURE);
        HeldReading waiting = held.get(key);
        Point temperature = waiting != null
                ? new Point(waiting.reading().reading().time(), waiting.reading().reading().value())
                : stateOf(key).last();
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
