package org.soilobs.streams.aggregate;

import java.util.Objects;
import org.soilobs.model.EnrichedReading;

/** A reading with the {@link GraceGate}'s verdict: {@code late} ones can no longer change any bucket. */
public record GatedReading(EnrichedReading reading, boolean late) {

    public GatedReading {
        Objects.requireNonNull(reading, "reading");
    }
}
