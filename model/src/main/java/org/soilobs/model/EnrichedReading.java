package org.soilobs.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.Objects;

/**
 * A reading after streams: where its field sits and the quality flags it earned.
 *
 * @param flags quality-control codes (DESIGN §4); {@code ["G"]} for a good reading
 * @param areaHa the field's area, carried so that aggregation needs no further lookup
 */
public record EnrichedReading(Reading reading, Placement placement, double areaHa, List<String> flags) {

    public static final String GOOD = "G";

    public EnrichedReading {
        Objects.requireNonNull(reading, "reading");
        Objects.requireNonNull(placement, "placement");
        if (!(areaHa > 0)) {
            throw new IllegalArgumentException("areaHa must be positive, was " + areaHa);
        }
        flags = List.copyOf(flags);
        if (flags.isEmpty()) {
            throw new IllegalArgumentException("a reading carries at least one flag");
        }
    }

    @JsonIgnore
    public boolean isGood() {
        return flags.equals(List.of(GOOD));
    }
}
