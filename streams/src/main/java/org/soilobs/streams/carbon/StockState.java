package org.soilobs.streams.carbon;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.soilobs.model.Aggregate;
import org.soilobs.model.AggregateKey;
import org.soilobs.model.Placement;
import org.soilobs.model.Stats;

/**
 * The {@code soc_stock} state of one area above field level for one day: each child's latest statistics,
 * the same design as the aggregation job's area state (min and max cannot be subtracted, so a child's entry
 * is replaced instead), kept here so that the carbon job's stores do not depend on that job's state format.
 */
public record StockState(Placement placement, SortedMap<String, Stats> children) {

    public StockState {
        children = Collections.unmodifiableSortedMap(new TreeMap<>(children == null ? Map.of() : children));
    }

    public static StockState empty() {
        return new StockState(null, new TreeMap<>());
    }

    @JsonIgnore
    public boolean isEmpty() {
        return children.isEmpty();
    }

    public StockState with(StockContribution contribution) {
        SortedMap<String, Stats> next = new TreeMap<>(children);
        next.put(contribution.child(), contribution.stats());
        return new StockState(contribution.placement(), next);
    }

    public StockState without(StockContribution contribution) {
        SortedMap<String, Stats> next = new TreeMap<>(children);
        next.remove(contribution.child());
        return new StockState(placement, next);
    }

    /** Merged in child order, so that the sums come out the same on every replay. */
    public Stats merged() {
        Stats merged = Stats.empty();
        for (Stats child : children.values()) {
            merged = merged.merge(child);
        }
        return merged;
    }

    /** The aggregate to publish, or null (a tombstone) when no child is left. */
    public Aggregate toAggregate(AggregateKey key) {
        return isEmpty() ? null : new Aggregate(key, merged(), children.size());
    }
}
