package org.soilobs.streams.quality;

import java.util.Objects;
import org.soilobs.model.EnrichedReading;

/**
 * The latest reading of a series, held back until the next one shows whether it was a spike.
 *
 * @param reading the reading with the flags it earned on arrival
 * @param timestamp its record's timestamp (arrival), which it keeps when released
 * @param heldSinceMs wall-clock time it was held at
 */
public record HeldReading(EnrichedReading reading, long timestamp, long heldSinceMs) {

    public HeldReading {
        Objects.requireNonNull(reading, "reading");
    }
}
