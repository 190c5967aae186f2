package org.soilobs.streams.quality;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What quality control remembers of one series (sensor, quantity): its latest released readings, the level
 * a drop fell to while the series stays there, and the highest value seen.
 *
 * @param recent the latest released readings, oldest first, at most {@link #KEPT}; spikes never enter
 * @param lowPlateau the value a drop (D07) fell to, while the following readings stay near it; else null
 * @param peak the highest value released so far, null before the first
 */
public record SeriesState(List<Point> recent, Double lowPlateau, Double peak) {

    /** Enough for the saturated-plateau rule, which looks at the reading and the two before it. */
    static final int KEPT = 2;

    private static final SeriesState EMPTY = new SeriesState(List.of(), null, null);

    public record Point(Instant time, double value) {
        public Point {
            Objects.requireNonNull(time, "time");
        }
    }

    public SeriesState {
        recent = List.copyOf(recent);
    }

    public static SeriesState empty() {
        return EMPTY;
    }

    /** The latest released reading, or null. */
    @JsonIgnore
    public Point last() {
        return recent.isEmpty() ? null : recent.get(recent.size() - 1);
    }

    SeriesState after(Point released, Double newLowPlateau) {
        List<Point> kept = new ArrayList<>(recent);
        kept.add(released);
        while (kept.size() > KEPT) {
            kept.remove(0);
        }
        return new SeriesState(kept, newLowPlateau, peak == null ? released.value() : Math.max(peak, released.value()));
    }
}
