package org.soilobs.ingest.decode;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.DoubleUnaryOperator;
import org.soilobs.ingest.registry.SensorRegistry;
import org.soilobs.model.Quantity;
import org.soilobs.model.Reading;
import org.soilobs.model.Rejection;
import org.soilobs.model.Sensor;

/**
 * The observatory's own batch format, {@value #SCHEMA}:
 *
 * <pre>{@code
 * {"schema": "soil-readings/1", "gateway": "gw-fr-beauce-1", "seq": 48121,
 *  "readings": [{"sensor": "fr-0042-p1", "time": "2026-11-20T09:40:00Z", "quantity": "soc",
 *                "value": 17.4, "unit": "g/kg", "depth_cm": [0, 30]}]}
 * }</pre>
 *
 * <p>The batch as a whole must carry the supported schema, a gateway equal to the one the transport
 * vouches for, a non-negative integer {@code seq} and a {@code readings} array; otherwise the whole
 * message is rejected. Each reading is then accepted or rejected on its own, with the first of these
 * checks it fails: sensor id present, known quantity, known unit of that quantity (converted to the
 * canonical unit, see {@link Units}), finite numeric value, physically possible value
 * ({@link Quantity#isPossible}), ISO 8601 time with offset not before {@value #EARLIEST_YEAR} and not
 * more than the tolerance ahead of the receive time, valid depth, registered sensor, sensor registered
 * to this gateway. Unknown extra keys are ignored, so that version 1 can grow compatibly.
 *
 * <p><b>Depth.</b> {@code depth_cm} is {@code [top, bottom]} in whole centimetres below the surface,
 * {@code 0 <= top <= bottom <= }{@value #MAX_DEPTH_CM} (top = bottom is a point, e.g. a temperature
 * probe). When absent (or null) it defaults to the usual sampling layer: 0–30 cm for {@code soc} (the
 * IPCC topsoil layer used for SOC stocks) and 0–10 cm for every other quantity (the layer surface
 * probes measure).
 */
public final class CanonicalDecoder implements PayloadDecoder {

    public static final String FORMAT = "canonical";
    public static final String SCHEMA = "soil-readings/1";
    /** How far ahead of the receive time a reading's time may be (sensor clocks drift). */
    public static final Duration DEFAULT_FUTURE_TOLERANCE = Duration.ofMinutes(5);
    public static final int MAX_DEPTH_CM = 1000;
    public static final int EARLIEST_YEAR = 1900;

    static final int SOC_DEFAULT_BOTTOM_CM = 30;
    static final int DEFAULT_BOTTOM_CM = 10;

    private static final String SCHEMA_FAMILY = "soil-readings/";
    // Before this nothing was logged by a sensor; it also keeps every time within epoch milliseconds.
    private static final Instant EARLIEST = Instant.parse(EARLIEST_YEAR + "-01-01T00:00:00Z");

    private final SensorRegistry registry;
    private final Duration futureTolerance;
    private final PayloadDecoding standalone;

    public CanonicalDecoder(SensorRegistry registry) {
        this(registry, PayloadDecoding.DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_FUTURE_TOLERANCE);
    }

    public CanonicalDecoder(SensorRegistry registry, int maxPayloadBytes, Duration futureTolerance) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.futureTolerance = Objects.requireNonNull(futureTolerance, "futureTolerance");
        if (futureTolerance.isNegative()) {
            throw new IllegalArgumentException("futureTolerance must not be negative: " + futureTolerance);
        }
        this.standalone = new PayloadDecoding(List.of(this), maxPayloadBytes);
    }

    @Override
    public String format() {
        return FORMAT;
    }

    /**
     * Decodes raw bytes on their own: size limit, JSON, then this format (anything else is
     * {@code unsupported_format}). Never throws.
     */
    public DecodeResult decode(IncomingMessage message) {
        return standalone.decode(message);
    }

    /** An object naming a {@code soil-readings/…} schema, or one with {@code readings} and no schema. */
    @Override
    public boolean recognises(JsonNode root) {
        if (!root.isObject()) {
            return false;
        }
        JsonNode schema = root.get("schema");
        if (schema == null) {
            return root.has("readings");
        }
        return schema.isTextual() && schema.textValue().startsWith(SCHEMA_FAMILY);
    }

    @Override
    public DecodeResult decode(IncomingMessage message, JsonNode root) {
        JsonNode schema = root.path("schema");
        if (!schema.isTextual() || !SCHEMA.equals(schema.textValue())) {
            return DecodeResult.rejected(Rejections.ofMessage(message, RejectReason.UNSUPPORTED_SCHEMA,
                    "schema " + Rejections.show(schema) + " is not " + SCHEMA));
        }
        JsonNode gatewayNode = root.path("gateway");
        if (!gatewayNode.isTextual() || gatewayNode.textValue().isBlank()) {
            return invalidBatch(message, "gateway must be a non-blank string, was " + Rejections.show(gatewayNode));
        }
        String gateway = gatewayNode.textValue();
        if (message.gateway() != null && !message.gateway().equals(gateway)) {
            return DecodeResult.rejected(Rejections.ofMessage(message, RejectReason.GATEWAY_MISMATCH,
                    "batch claims gateway " + Rejections.quote(gateway) + " but arrived as "
                            + Rejections.quote(message.gateway())));
        }
        JsonNode seqNode = root.path("seq");
        if (!seqNode.isIntegralNumber() || !seqNode.canConvertToLong() || seqNode.longValue() < 0) {
            return invalidBatch(message, "seq must be a non-negative integer, was " + Rejections.show(seqNode));
        }
        long seq = seqNode.longValue();
        JsonNode readings = root.path("readings");
        if (!readings.isArray()) {
            return invalidBatch(message, "readings must be an array, was " + Rejections.show(readings));
        }

        List<Reading> accepted = new ArrayList<>(readings.size());
        List<Rejection> rejected = new ArrayList<>();
        List<byte[]> originals = null;
        for (int index = 0; index < readings.size(); index++) {
            JsonNode node = readings.get(index);
            try {
                accepted.add(reading(node, gateway, seq, message.receivedAt()));
            } catch (Invalid invalid) {
                if (originals == null) {
                    originals = ArraySlices.of(message.payload(), "readings")
                            .filter(slices -> slices.size() == readings.size())
                            .orElse(List.of());
                }
                rejected.add(originals.isEmpty()
                        ? Rejections.ofReading(message, index, node, invalid.reason, invalid.getMessage())
                        : Rejections.ofReading(message, index, originals.get(index), invalid.reason,
                                invalid.getMessage()));
            }
        }
        return new DecodeResult(accepted, rejected);
    }

    private static DecodeResult invalidBatch(IncomingMessage message, String detail) {
        return DecodeResult.rejected(Rejections.ofMessage(message, RejectReason.INVALID_BATCH, detail));
    }

    private Reading reading(JsonNode node, String gateway, long seq, Instant receivedAt) throws Invalid {
        if (!node.isObject()) {
            throw new Invalid(RejectReason.INVALID_READING, "a reading must be an object, was " + Rejections.show(node));
        }
        JsonNode sensorNode = node.path("sensor");
        if (!sensorNode.isTextual() || sensorNode.textValue().isBlank()) {
            throw new Invalid(RejectReason.UNKNOWN_SENSOR, "sensor must be a non-blank string, was "
                    + Rejections.show(sensorNode));
        }
        String sensorId = sensorNode.textValue();
        Quantity quantity = quantity(node.path("quantity"));
        double value = canonicalValue(quantity, node.path("value"), node.path("unit"));
        Instant time = time(node.path("time"), receivedAt);
        int[] depth = depth(node.path("depth_cm"), quantity);
        Sensor sensor = registered(sensorId, gateway);
        try {
            return new Reading(gateway, seq, sensor.id(), sensor.field(), quantity, time, value, depth[0], depth[1],
                    receivedAt);
        } catch (IllegalArgumentException e) {
            throw new Invalid(RejectReason.INVALID_READING, e.getMessage());
        }
    }

    private static Quantity quantity(JsonNode node) throws Invalid {
        Optional<Quantity> quantity = node.isTextual() ? Quantity.byId(node.textValue()) : Optional.empty();
        if (quantity.isPresent() && quantity.get().derived()) {
            throw new Invalid(RejectReason.UNKNOWN_QUANTITY, "quantity " + Rejections.show(node)
                    + " is derived by the observatory and never accepted from a gateway");
        }
        return quantity.orElseThrow(() -> new Invalid(RejectReason.UNKNOWN_QUANTITY,
                "quantity " + Rejections.show(node) + " is not one of the observatory's quantities"));
    }

    private static double canonicalValue(Quantity quantity, JsonNode valueNode, JsonNode unitNode) throws Invalid {
        if (!unitNode.isTextual()) {
            throw new Invalid(RejectReason.UNKNOWN_UNIT, "unit must be a UCUM code string, was "
                    + Rejections.show(unitNode));
        }
        String unit = unitNode.textValue();
        Optional<DoubleUnaryOperator> conversion = Units.toCanonical(quantity, unit);
        if (conversion.isEmpty()) {
            if (Units.isKnown(unit)) {
                throw new Invalid(RejectReason.UNIT_MISMATCH, "unit " + Rejections.quote(unit) + " is not a unit of "
                        + quantity.id() + "; accepted: " + Units.accepted(quantity));
            }
            throw new Invalid(RejectReason.UNKNOWN_UNIT, "unit " + Rejections.quote(unit) + " is unknown; accepted for "
                    + quantity.id() + ": " + Units.accepted(quantity));
        }
        if (!valueNode.isNumber()) {
            throw new Invalid(RejectReason.INVALID_VALUE, "value must be a number, was " + Rejections.show(valueNode));
        }
        double raw = valueNode.doubleValue();
        if (!Double.isFinite(raw)) {
            throw new Invalid(RejectReason.INVALID_VALUE, "value " + Rejections.show(valueNode) + " is not finite");
        }
        double value = conversion.get().applyAsDouble(raw);
        if (!quantity.isPossible(value)) {
            throw new Invalid(RejectReason.VALUE_OUT_OF_RANGE, quantity.id() + " " + raw + " " + unit + " = " + value
                    + " " + quantity.unit() + " is outside " + quantity.hardMin() + ".." + quantity.hardMax() + " "
                    + quantity.unit());
        }
        return value;
    }

    private Instant time(JsonNode node, Instant receivedAt) throws Invalid {
        if (!node.isTextual()) {
            throw new Invalid(RejectReason.INVALID_TIME, "time must be an ISO 8601 string, was " + Rejections.show(node));
        }
        Instant time;
        try {
            time = OffsetDateTime.parse(node.textValue()).toInstant();
        } catch (DateTimeException e) {
            throw new Invalid(RejectReason.INVALID_TIME, "time " + Rejections.quote(node.textValue())
                    + " is not an ISO 8601 date-time with offset, e.g. 2026-11-20T09:40:00Z");
        }
        if (time.isBefore(EARLIEST)) {
            throw new Invalid(RejectReason.INVALID_TIME, "time " + time + " is before " + EARLIEST_YEAR);
        }
        if (time.isAfter(receivedAt.plus(futureTolerance))) {
            throw new Invalid(RejectReason.TIME_IN_FUTURE, "time " + time + " is more than " + futureTolerance
                    + " after its receipt at " + receivedAt);
        }
        return time;
    }

    private static int[] depth(JsonNode node, Quantity quantity) throws Invalid {
        if (node.isMissingNode() || node.isNull()) {
            return new int[] {0, quantity == Quantity.SOC ? SOC_DEFAULT_BOTTOM_CM : DEFAULT_BOTTOM_CM};
        }
        if (!node.isArray() || node.size() != 2 || !isDepth(node.get(0)) || !isDepth(node.get(1))
                || node.get(0).intValue() > node.get(1).intValue()) {
            throw new Invalid(RejectReason.INVALID_DEPTH, "depth_cm must be [top, bottom] in whole cm with 0 <= top <= "
                    + "bottom <= " + MAX_DEPTH_CM + ", was " + Rejections.show(node));
        }
        return new int[] {node.get(0).intValue(), node.get(1).intValue()};
    }

    private static boolean isDepth(JsonNode node) {
        return node.isIntegralNumber() && node.canConvertToInt() && node.intValue() >= 0
                && node.intValue() <= MAX_DEPTH_CM;
    }

    private Sensor registered(String sensorId, String gateway) throws Invalid {
        Sensor sensor = registry.find(sensorId).orElseThrow(() -> new Invalid(RejectReason.UNKNOWN_SENSOR,
                "sensor " + Rejections.quote(sensorId) + " is not registered"));
        if (!sensor.gateway().equals(gateway)) {
            throw new Invalid(RejectReason.SENSOR_GATEWAY_MISMATCH, "sensor " + Rejections.quote(sensorId)
                    + " is registered to gateway " + Rejections.quote(sensor.gateway()) + ", not "
                    + Rejections.quote(gateway));
        }
        return sensor;
    }

    /** A reading's first failed check; cheap (no stack trace) because bad input is routine. */
    private static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient RejectReason reason;

        Invalid(RejectReason reason, String detail) {
            super(detail, null, false, false);
            this.reason = reason;
        }
    }
}
