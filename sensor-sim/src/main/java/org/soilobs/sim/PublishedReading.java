package org.soilobs.sim;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * One reading the simulator sends, with its ground truth: whether ingest must accept it and, if not,
 * the reason it must give.
 *
 * @param seq the sequence number of the message that carries it
 * @param field the field of the reading's sensor; null when the sensor is unknown (there is no field)
 * @param quantity as sent, possibly a quantity the observatory does not know
 * @param expectedRejectReason null for a valid reading, else one of {@link #REASONS}
 */
public record PublishedReading(
        String gateway,
        long seq,
        String sensor,
        String field,
        String quantity,
        Instant time,
        double value,
        int depthTop,
        int depthBottom,
        boolean valid,
        String expectedRejectReason) {

    public static final String VALUE_OUT_OF_RANGE = "value_out_of_range";
    public static final String UNKNOWN_QUANTITY = "unknown_quantity";
    public static final String UNKNOWN_SENSOR = "unknown_sensor";
    public static final Set<String> REASONS = Set.of(VALUE_OUT_OF_RANGE, UNKNOWN_QUANTITY, UNKNOWN_SENSOR);

    public PublishedReading {
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(sensor, "sensor");
        Objects.requireNonNull(quantity, "quantity");
        Objects.requireNonNull(time, "time");
        if (valid != (expectedRejectReason == null)) {
            throw new IllegalArgumentException("a reading has a reject reason exactly when it is invalid");
        }
        if (expectedRejectReason != null && !REASONS.contains(expectedRejectReason)) {
            throw new IllegalArgumentException("unknown reject reason " + expectedRejectReason);
        }
        if ((field == null) != UNKNOWN_SENSOR.equals(expectedRejectReason)) {
            throw new IllegalArgumentException("exactly a reading of an unknown sensor has no field");
        }
    }

    /** The identity the observatory de-duplicates by, as in {@code Reading.identity()}. */
    public String identity() {
        return sensor + '|' + quantity + '|' + time;
    }
}
