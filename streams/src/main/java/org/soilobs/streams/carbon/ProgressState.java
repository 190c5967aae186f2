package org.soilobs.streams.carbon;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.soilobs.carbon.ProgressTotals;
import org.soilobs.model.Level;
import org.soilobs.model.Placement;
import org.soilobs.model.Progress;

/**
 * The progress state of one area above field level: each child's latest totals. As with
 * {@link org.soilobs.streams.aggregate.AreaState}, replacing a child's entry replaces its contribution
 * exactly, and summing in child order gives the same floating-point totals on every replay, so nothing
 * drifts however often a field's trend changes.
 */
public record ProgressState(Placement placement, SortedMap<String, ProgressTotals> children) {

    public ProgressState {
        children = Collections.unmodifiableSortedMap(new TreeMap<>(children == null ? Map.of() : children));
    }

    public static ProgressState empty() {
        return new ProgressState(null, new TreeMap<>());
    }

    @JsonIgnore
    public boolean isEmpty() {
        return children.isEmpty();
    }

    public ProgressState with(ProgressContribution contribution) {
        SortedMap<String, ProgressTotals> next = new TreeMap<>(children);
        next.put(contribution.child(), contribution.totals());
        return new ProgressState(contribution.placement(), next);
    }

    public ProgressState without(ProgressContribution contribution) {
        SortedMap<String, ProgressTotals> next = new TreeMap<>(children);
        next.remove(contribution.child());
        return new ProgressState(placement, next);
    }

    /** Σ over the children; only for a state that is not empty. */
    public ProgressTotals merged() {
        ProgressTotals merged = null;
        for (ProgressTotals child : children.values()) {
            merged = merged == null ? child : merged.plus(child);
        }
        if (merged == null) {
            throw new IllegalStateException("an empty area has no totals");
        }
        return merged;
    }

    /** The progress to publish, or null (a tombstone) when no child is left. */
    public Progress toProgress(Level level, String area) {
        return isEmpty() ? null : merged().toProgress(level, area);
    }
}
