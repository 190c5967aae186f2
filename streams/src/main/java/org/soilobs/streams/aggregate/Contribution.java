package org.soilobs.streams.aggregate;

import java.util.Objects;
import org.soilobs.model.Placement;
import org.soilobs.model.Stats;

/** What one area (a field, a country, …) currently adds to the area above it. */
public record Contribution(String child, Placement placement, Stats stats) {

    public Contribution {
        Objects.requireNonNull(child, "child");
        Objects.requireNonNull(placement, "placement");
        Objects.requireNonNull(stats, "stats");
    }
}
