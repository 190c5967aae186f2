package org.soilobs.streams.aggregate;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.soilobs.model.Aggregate;
import org.soilobs.model.AggregateKey;
import org.soilobs.model.Placement;
import org.soilobs.model.Stats;

/**
 * The state of one area above field level for one quantity and bucket: the latest statistics of each
 * child. Min and max cannot be subtracted, so instead of a running total the state keeps every child's
 * contribution; replacing a child's entry replaces its old contribution exactly, and the area's
 * statistics are always the merge of what is there now.
 *
 * @param placement where the area sits, from its latest contribution; null only before the first
 * @param children each child's statistics, by child id
 */
public record AreaState(Placement placement, SortedMap<String, Stats> children) {

    private static final AreaState EMPTY = new AreaState(null, new TreeMap<>());

    public AreaState {
        children = Collections.unmodifiableSortedMap(new TreeMap<>(children == null ? Map.of() : children));
    }

    public static AreaState empty() {
        return EMPTY;
    }

    /** True once every child has moved away (or before the first arrived): nothing to report. */
    public boolean isEmpty() {
        return children.isEmpty();
    }

    public AreaState with(Contribution contribution) {
        SortedMap<String, Stats> next = new TreeMap<>(children);
        next.put(contribution.child(), contribution.stats());
        return new AreaState(contribution.placement(), next);
    }

    public AreaState without(Contribution contribution) {
        SortedMap<String, Stats> next = new TreeMap<>(children);
        next.remove(contribution.child());
        return new AreaState(placement, next);
    }

    /** Merged in child-id order, so that the floating-point sums come out the same on every replay. */
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
