package org.soilobs.streams.aggregate;

import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.soilobs.model.Aggregate;
import org.soilobs.model.AggregateKey;
import org.soilobs.model.EnrichedReading;
import org.soilobs.model.Placement;
import org.soilobs.model.Stats;

/**
 * The state of one field, quantity and bucket: the readings' statistics plus where the field sits and how
 * large it is, taken from the readings themselves so that rolling up needs no registry lookup.
 *
 * @param placement null only in the empty state a window starts from
 */
public record FieldBucket(Placement placement, double areaHa, Stats stats) {

    private static final FieldBucket EMPTY = new FieldBucket(null, 0, Stats.empty());

    public FieldBucket {
        Objects.requireNonNull(stats, "stats");
    }

    public static FieldBucket empty() {
        return EMPTY;
    }

    public boolean isEmpty() {
        return placement == null;
    }

    /**
     * The latest reading's placement and area win, so a corrected registration takes effect at once. A
     * quality-control correction replaces the flags its reading was counted with: the reading was counted
     * here before (it went through the same gate in the same order, and a correction is never later than its
     * first version), and neither version is good, so only flag counts change.
     */
    public FieldBucket add(EnrichedReading enriched) {
        if (enriched.isCorrection()) {
            return new FieldBucket(enriched.placement(), enriched.areaHa(),
                    reflagged(stats, enriched.corrects(), enriched.flags()));
        }
        Stats one = Stats.of(enriched.reading().value(), enriched.reading().time(), enriched.flags());
        return new FieldBucket(enriched.placement(), enriched.areaHa(), stats.merge(one));
    }

    private static Stats reflagged(Stats stats, List<String> from, List<String> to) {
        SortedMap<String, Long> counts = new TreeMap<>(stats.flags());
        from.forEach(flag -> counts.computeIfPresent(flag, (code, n) -> n == 1 ? null : n - 1));
        to.forEach(flag -> counts.merge(flag, 1L, Long::sum));
        return new Stats(stats.count(), stats.sum(), stats.sumSq(), stats.min(), stats.max(), stats.first(),
                stats.last(), stats.areaHa(), stats.areaWeightedSum(), counts);
    }

    /** The field's statistics weighted by its area: what it contributes to its country, and what it reports. */
    public Stats weighted() {
        return stats.weightedByFieldArea(areaHa);
    }

    public Aggregate toAggregate(AggregateKey key) {
        return new Aggregate(key, weighted(), 1);
    }
}
