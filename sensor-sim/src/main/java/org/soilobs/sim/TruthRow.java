package org.soilobs.sim;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The ground truth of one reading the simulator sent (or, for a drop-out, should have sent): what it
 * carried and what the observatory must make of it.
 *
 * @param seq the sequence number (frame counter for LoRaWAN formats) of its message; 0 when not sent
 * @param field the field of the reading; null for an unknown device
 * @param time the reading's time as sent (a skewed clock's time when skewed)
 * @param value the value in canonical units as the observatory will read it
 * @param faults the injected faults that touch it, e.g. {@code ["spike"]}; empty for a clean reading
 * @param fate one of {@link #FATES}
 * @param code for {@code flagged}, the QC flag; for {@code rejected}, the reject reason; else null
 */
public record TruthRow(String gateway, long seq, WireFormat format, String sensor, String field, String quantity,
        Instant time, double value, List<String> faults, String fate, String code) {

    public static final String ACCEPTED = "accepted";
    public static final String FLAGGED = "flagged";
    public static final String REJECTED = "rejected";
    /** A re-sent copy: the observatory must keep the reading once. */
    public static final String DUPLICATE = "duplicate";
    /** Not sent (a drop-out): the observatory must show a gap. */
    public static final String MISSING = "missing";
    public static final Set<String> FATES = Set.of(ACCEPTED, FLAGGED, REJECTED, DUPLICATE, MISSING);

    /** QC flags the simulator expects (DESIGN §4): spike, jump up, drop down. */
    public static final String FLAG_SPIKE = "D06";
    public static final String FLAG_DROP = "D07";
    public static final String FLAG_JUMP = "D08";
    /** A value repeated exactly for several reports; ISMN has no code for it, so the observatory's own. */
    public static final String FLAG_STUCK = "stuck";
    public static final String TIME_IN_FUTURE = "time_in_future";
    public static final String MALFORMED_JSON = "malformed_json";

    public TruthRow {
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(sensor, "sensor");
        Objects.requireNonNull(quantity, "quantity");
        Objects.requireNonNull(time, "time");
        faults = List.copyOf(faults);
        if (!FATES.contains(fate)) {
            throw new IllegalArgumentException("unknown fate " + fate);
        }
        if ((fate.equals(FLAGGED) || fate.equals(REJECTED)) != (code != null)) {
            throw new IllegalArgumentException("a code goes with exactly the flagged and rejected fates");
        }
    }

    TruthRow withFate(String newFate, String newCode) {
        return new TruthRow(gateway, seq, format, sensor, field, quantity, time, value, faults, newFate, newCode);
    }

    TruthRow withFault(String fault) {
        List<String> more = new ArrayList<>(faults);
        more.add(fault);
        return new TruthRow(gateway, seq, format, sensor, field, quantity, time, value, more, fate, code);
    }
}
