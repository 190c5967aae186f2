package org.soilobs.streams.aggregate;

import java.util.Objects;
import org.soilobs.model.EnrichedReading;

/** A reading with a gate's verdict on whether it may enter the windows. */
public record GatedReading(EnrichedReading reading, Verdict verdict) {

    public enum Verdict {
        ON_TIME,
        /** Its hourly bucket closed more than the grace period ago ({@link GraceGate}). */
        LATE,
        /** Its time cannot be a window position at all ({@link WindowableCheck}). */
        UNWINDOWABLE
    }

    public GatedReading {
        Objects.requireNonNull(reading, "reading");
        Objects.requireNonNull(verdict, "verdict");
    }

    public boolean onTime() {
        return verdict == Verdict.ON_TIME;
    }
}
