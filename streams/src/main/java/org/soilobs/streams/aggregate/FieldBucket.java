package org.soilobs.streams.aggregate;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Objects;
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

    @JsonIgnore
    public boolean isEmpty() {
        return placement == null;
    }

    /** The latest reading's placement and area win, so a corrected registration takes effect at once. */
    public FieldBucket add(EnrichedReading enriched) {
        Stats one = Stats.of(enriched.reading().value(), enriched.reading().time(), enriched.flags());
        return new FieldBucket(enriched.placement(), enriched.areaHa(), stats.merge(one));
    }

    /** The field's statistics weighted by its area: what it contributes to its country, and what it reports. */
    public Stats weighted() {
        return stats.weightedByFieldArea(areaHa);
    }

    public Aggregate toAggregate(AggregateKey key) {
        return new Aggregate(key, weighted(), 1);
    }
}
