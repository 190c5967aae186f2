package org.soilobs.streams.carbon;

import java.util.Objects;
import org.soilobs.model.Placement;
import org.soilobs.model.Stats;

/** What one area currently adds to the {@code soc_stock} statistics of the area above it. */
public record StockContribution(String child, Placement placement, Stats stats) {

    public StockContribution {
        Objects.requireNonNull(child, "child");
        Objects.requireNonNull(placement, "placement");
        Objects.requireNonNull(stats, "stats");
    }
}
