package org.soilobs.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/**
 * A reading after streams: where its field sits and the quality flags it earned.
 *
 * <p>Quality control emits a reading at once with the flags it can decide on arrival. When a later reading
 * shows that it was a spike, the same reading (same identity) is emitted again as a <em>correction</em>: its
 * {@code corrects} holds the flags it was first published with, and its {@code flags} are final. A consumer
 * replaces the earlier version's contribution with the correction's.
 *
 * @param flags quality-control codes (DESIGN §4); {@code ["G"]} for a good reading
 * @param areaHa the field's area, carried so that aggregation needs no further lookup
 * @param corrects the flags this reading was first published with, when this record is a correction of it;
 *     null (and absent from the JSON) for a first judgement. A correction never involves {@link #GOOD}: only
 *     a flagged reading is ever re-judged, so a good reading's values are final once published.
 */
public record EnrichedReading(Reading reading, Placement placement, double areaHa, List<String> flags,
                              @JsonInclude(JsonInclude.Include.NON_NULL) List<String> corrects) {

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
        if (corrects != null) {
            corrects = List.copyOf(corrects);
            if (corrects.isEmpty() || corrects.contains(GOOD) || flags.contains(GOOD)) {
                throw new IllegalArgumentException("a correction moves a reading between flagged states, was "
                        + corrects + " -> " + flags);
            }
        }
    }

    /** A first judgement: not a correction. */
    public EnrichedReading(Reading reading, Placement placement, double areaHa, List<String> flags) {
        this(reading, placement, areaHa, flags, null);
    }

    @JsonIgnore
    public boolean isGood() {
        return flags.equals(List.of(GOOD));
    }

    /** Whether this record re-judges a reading published before under the same identity. */
    @JsonIgnore
    public boolean isCorrection() {
        return corrects != null;
    }
}
