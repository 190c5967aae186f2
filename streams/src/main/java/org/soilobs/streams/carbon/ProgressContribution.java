package org.soilobs.streams.carbon;

import java.util.Objects;
import org.soilobs.carbon.ProgressTotals;
import org.soilobs.model.Placement;

/** What one area (a field, a country, …) currently adds to the progress of the area above it. */
public record ProgressContribution(String child, Placement placement, ProgressTotals totals) {

    public ProgressContribution {
        Objects.requireNonNull(child, "child");
        Objects.requireNonNull(placement, "placement");
        Objects.requireNonNull(totals, "totals");
    }
}
