package org.soilobs.api.store;

import org.soilobs.model.Aggregate;
import org.soilobs.model.Level;
import org.soilobs.model.Stats;

/** The figures the API reports from an aggregate; null wherever a statistic is undefined. */
public final class Measures {

    private Measures() {
    }

    /**
     * The headline value: at field level the plain mean of good readings; above it the area-weighted
     * mean Σ(areaᵢ × meanᵢ) / Σ areaᵢ over contributing fields (DESIGN §6: never a mean of means).
     */
    public static Double value(Aggregate aggregate) {
        Stats stats = aggregate.stats();
        return finite(aggregate.key().level() == Level.FIELD ? stats.mean() : stats.areaWeightedMean());
    }

    public static Double mean(Aggregate aggregate) {
        return finite(aggregate.stats().mean());
    }

    /** Sample standard deviation of good readings; null with fewer than two. */
    public static Double stddev(Aggregate aggregate) {
        return finite(Math.sqrt(aggregate.stats().variance()));
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
