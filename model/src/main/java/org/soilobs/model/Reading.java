package org.soilobs.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One measurement as ingest normalised it: canonical unit, resolved sensor and field.
 *
 * @param gateway the gateway that published it
 * @param seq the gateway's sequence number of the message that carried it
 * @param sensor the registered sensor id
 * @param field the field the sensor is installed in
 * @param quantity what was measured; {@code value} is in {@link Quantity#unit()}
 * @param time event time, as the sensor stamped it
 * @param value the measured value in the canonical unit
 * @param depthTopCm top of the measured soil layer, cm below the surface
 * @param depthBottomCm bottom of the measured soil layer, cm below the surface
 * @param receivedAt when ingest received the message
 */
public record Reading(
        String gateway,
        long seq,
        String sensor,
        String field,
        Quantity quantity,
        Instant time,
        double value,
        int depthTopCm,
        int depthBottomCm,
        Instant receivedAt) {

    public Reading {
        requireText(gateway, "gateway");
        requireText(sensor, "sensor");
        requireText(field, "field");
        Objects.requireNonNull(quantity, "quantity");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(receivedAt, "receivedAt");
        if (!quantity.isPossible(value)) {
            throw new IllegalArgumentException(quantity.id() + " value " + value + " is outside "
                    + quantity.hardMin() + ".." + quantity.hardMax() + " " + quantity.unit());
        }
        if (depthTopCm < 0 || depthBottomCm < depthTopCm) {
            throw new IllegalArgumentException("depth must satisfy 0 <= top <= bottom, was "
                    + depthTopCm + ".." + depthBottomCm);
        }
    }

    /** The identity streams and the database de-duplicate by: (sensor, quantity, time). */
    public String identity() {
        return sensor + '|' + quantity.id() + '|' + time;
    }

    static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
