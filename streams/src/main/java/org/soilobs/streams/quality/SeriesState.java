package org.soilobs.streams.quality;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.soilobs.model.EnrichedReading;

/**
 * What quality control remembers of one series (sensor, quantity): its latest finally judged readings, the
 * level a drop fell to while the series stays there, the highest value seen, and the newest reading, which
 * went out with a provisional judgement that its successor may still correct.
 *
 * @param recent the latest finally judged readings, oldest first, at most {@link #KEPT}; spikes never enter
 * @param lowPlateau the value a drop (D07) fell to, while the following readings stay near it; else null
 * @param peak the highest finally judged value so far, null before the first
 * @param pending the newest reading as it was published, judged without its successor; null before the first
 */
public record SeriesState(List<Point> recent, Double lowPlateau, Double peak, Pending pending) {

    /** Enough for the saturated-plateau rule, which looks at the reading and the two before it. */
    static final int KEPT = 2;

    private static final SeriesState EMPTY = new SeriesState(List.of(), null, null, null);

    public record Point(Instant time, double value) {
        public Point {
            Objects.requireNonNull(time, "time");
        }
    }

    /**
     * @param reading the reading with the flags it was published with
     * @param timestamp its record's timestamp (arrival), which a correction keeps
     */
    public record Pending(EnrichedReading reading, long timestamp) {
        public Pending {
            Objects.requireNonNull(reading, "reading");
        }

        Point point() {
            return new Point(reading.reading().time(), reading.reading().value());
        }
    }

    public SeriesState {
        recent = List.copyOf(recent);
    }

    public static SeriesState empty() {
        return EMPTY;
    }

    /** The latest finally judged reading, or null. */
    public Point last() {
        return recent.isEmpty() ? null : recent.get(recent.size() - 1);
    }

    /** The newest reading of the series, pending or judged, or null. */
    public Point latest() {
        return pending != null ? pending.point() : last();
    }

    /** The history once the pending reading is finally judged: it enters unless it was a spike. */
    SeriesState settled(Point judged, boolean spike, Double newLowPlateau) {
        if (spike) {
            return new SeriesState(recent, lowPlateau, peak, null);
        }
        List<Point> kept = new ArrayList<>(recent);
        kept.add(judged);
        while (kept.size() > KEPT) {
            kept.remove(0);
        }
        return new SeriesState(kept, newLowPlateau, peak == null ? judged.value() : Math.max(peak, judged.value()), null);
    }

    SeriesState withPending(Pending next) {
        return new SeriesState(recent, lowPlateau, peak, next);
    }
}
