package org.soilobs.streams.carbon;

import java.util.Objects;
import org.soilobs.carbon.ProgressTotals;
import org.soilobs.model.Placement;
import org.soilobs.model.Progress;

/** A field's progress as published, with what it adds to its country and where that is. */
public record FieldProgress(Placement placement, ProgressTotals totals, Progress progress) {

    public FieldProgress {
        Objects.requireNonNull(placement, "placement");
        Objects.requireNonNull(totals, "totals");
        Objects.requireNonNull(progress, "progress");
    }
}
