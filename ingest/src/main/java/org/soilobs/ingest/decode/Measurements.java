package org.soilobs.ingest.decode;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.DoubleUnaryOperator;
import org.soilobs.ingest.registry.SensorRegistry;
import org.soilobs.model.Quantity;
import org.soilobs.model.Reading;
import org.soilobs.model.Sensor;

/**
 * The checks every format applies to a reading once it has found its quantity, unit, value, time and
 * sensor, with the same reasons as the canonical batch (see {@link CanonicalDecoder}).
 */
final class Measurements {

    private static final Instant EARLIEST = Instant.parse(CanonicalDecoder.EARLIEST_YEAR + "-01-01T00:00:00Z");

    private Measurements() {
    }

    /** {@code raw} in {@code unit}, converted to the quantity's canonical unit and checked to be possible. */
    static double canonical(Quantity quantity, double raw, String unit) throws InvalidReading {
        Optional<DoubleUnaryOperator> conversion = Units.toCanonical(quantity, unit);
        if (conversion.isEmpty()) {
            if (Units.isKnown(unit)) {
                throw new InvalidReading(RejectReason.UNIT_MISMATCH, "unit " + Rejections.quote(unit)
                        + " is not a unit of " + quantity.id() + "; accepted: " + Units.accepted(quantity));
            }
            throw new InvalidReading(RejectReason.UNKNOWN_UNIT, "unit " + Rejections.quote(unit)
                    + " is unknown; accepted for " + quantity.id() + ": " + Units.accepted(quantity));
        }
        if (!Double.isFinite(raw)) {
            throw new InvalidReading(RejectReason.INVALID_VALUE, "value " + raw + " is not finite");
        }
        double value = conversion.get().applyAsDouble(raw);
        if (!quantity.isPossible(value)) {
            throw new InvalidReading(RejectReason.VALUE_OUT_OF_RANGE, quantity.id() + " " + raw + " " + unit + " = "
                    + value + " " + quantity.unit() + " is outside " + quantity.hardMin() + ".." + quantity.hardMax()
                    + " " + quantity.unit());
        }
        return value;
    }

    /** A time not before 1900 and not more than {@code tolerance} after the receipt. */
    static Instant time(Instant time, Instant receivedAt, Duration tolerance) throws InvalidReading {
        if (time.isBefore(EARLIEST)) {
            throw new InvalidReading(RejectReason.INVALID_TIME, "time " + time + " is before "
                    + CanonicalDecoder.EARLIEST_YEAR);
        }
        if (time.isAfter(receivedAt.plus(tolerance))) {
            throw new InvalidReading(RejectReason.TIME_IN_FUTURE, "time " + time + " is more than " + tolerance
                    + " after its receipt at " + receivedAt);
        }
        return time;
    }

    /** The layer a reading without depth stands for: 0–30 cm for SOC, 0–10 cm otherwise. */
    static int defaultBottomCm(Quantity quantity) {
        return quantity == Quantity.SOC ? CanonicalDecoder.SOC_DEFAULT_BOTTOM_CM : CanonicalDecoder.DEFAULT_BOTTOM_CM;
    }

    /**
     * The registered sensor, which must speak through {@code gateway} (the gateway the transport vouches
     * for; null when there is none, e.g. a payload decoded outside the bridge).
     */
    static Sensor registered(SensorRegistry registry, String sensorId, String gateway) throws InvalidReading {
        Sensor sensor = registry.find(sensorId).orElseThrow(() -> new InvalidReading(RejectReason.UNKNOWN_SENSOR,
                "sensor " + Rejections.quote(sensorId) + " is not registered"));
        if (gateway != null && !sensor.gateway().equals(gateway)) {
            throw new InvalidReading(RejectReason.SENSOR_GATEWAY_MISMATCH, "sensor " + Rejections.quote(sensorId)
                    + " is registered to gateway " + Rejections.quote(sensor.gateway()) + ", not "
                    + Rejections.quote(gateway));
        }
        return sensor;
    }

    /** The reading, or {@code invalid_reading} if the model refuses it (a bug in a check above). */
    static Reading reading(String gateway, long seq, Sensor sensor, Quantity quantity, Instant time, double value,
            int top, int bottom, Instant receivedAt) throws InvalidReading {
        try {
            return new Reading(gateway == null ? sensor.gateway() : gateway, seq, sensor.id(), sensor.field(),
                    quantity, time, value, top, bottom, receivedAt);
        } catch (IllegalArgumentException e) {
            throw new InvalidReading(RejectReason.INVALID_READING, e.getMessage());
        }
    }
}
