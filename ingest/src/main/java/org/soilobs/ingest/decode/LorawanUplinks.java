package org.soilobs.ingest.decode;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.soilobs.ingest.registry.SensorRegistry;
import org.soilobs.model.Json;
import org.soilobs.model.Reading;
import org.soilobs.model.Rejection;
import org.soilobs.model.Sensor;

/**
 * What The Things Stack and ChirpStack uplinks have in common once their envelope is read: a DevEUI,
 * the payload the network server's codec decoded, a time and a frame counter.
 *
 * <p>The device is the registered sensor whose id is its DevEUI in lower-case hex (e.g.
 * {@code a84041000181a3b2}); an unknown device, a sensor registered to another gateway, a model without
 * a table in {@link DeviceModels}, a missing decoded payload or one without any of the model's fields
 * reject the whole message. Each mapped field is then one reading (its {@code index} is the field's
 * position in the decoded payload; the dead letter keeps {@code {"field": value}}). A value may be a
 * number or a string holding one, optionally followed by its unit ({@code "19.57 %"}, as some codecs
 * write it); that unit must be the field's. The reading's time is the network server's receive time,
 * its {@code seq} the frame counter, its depth the default layer of the quantity.
 */
final class LorawanUplinks {

    private static final Pattern DEV_EUI = Pattern.compile("[0-9a-fA-F]{16}");
    // Possessive, so that a long run of digits cannot make the match backtrack.
    private static final Pattern NUMBER_WITH_UNIT =
            Pattern.compile("([-+]?+(?:\\d++(?:\\.\\d*+)?+|\\.\\d++)(?:[eE][-+]?+\\d++)?+)\\s*+(.*)");
    private static final int MAX_NUMERIC_TEXT = 64;
    // Units as codecs print them, to UCUM.
    private static final Map<String, String> PRINTED_UNITS = Map.of(
            "%", "%", "°C", "Cel", "℃", "Cel", "C", "Cel",
            "uS/cm", "uS/cm", "µS/cm", "uS/cm", "μS/cm", "uS/cm", "us/cm", "uS/cm");

    private final SensorRegistry registry;
    private final Duration futureTolerance;

    LorawanUplinks(SensorRegistry registry, Duration futureTolerance) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.futureTolerance = Objects.requireNonNull(futureTolerance, "futureTolerance");
    }

    /**
     * @param devEui the envelope's DevEUI node ({@code devEuiPath} names it in details)
     * @param decoded the decoded payload node ({@code decodedPath} names it)
     * @param time the network server's receive time, or missing
     * @param frameCounter the uplink's frame counter, or missing
     */
    DecodeResult decode(IncomingMessage message, JsonNode devEui, String devEuiPath, JsonNode decoded,
            String decodedPath, JsonNode time, JsonNode frameCounter) {
        if (!devEui.isTextual() || !DEV_EUI.matcher(devEui.textValue()).matches()) {
            return whole(message, RejectReason.UNKNOWN_SENSOR, devEuiPath + " must be a DevEUI of 16 hex digits, was "
                    + Rejections.show(devEui));
        }
        String sensorId = devEui.textValue().toLowerCase(Locale.ROOT);
        Sensor sensor;
        try {
            sensor = Measurements.registered(registry, sensorId, message.gateway());
        } catch (InvalidReading invalid) {
            return whole(message, invalid.reason, invalid.getMessage()
                    + " (a LoRaWAN device is registered with its DevEUI in lower-case hex as sensor id)");
        }
        Optional<Map<String, DeviceModels.Field>> fields = DeviceModels.fields(sensor.model());
        if (fields.isEmpty()) {
            return whole(message, RejectReason.UNKNOWN_DEVICE_MODEL, "sensor " + sensorId + " has model "
                    + Rejections.quote(sensor.model()) + ", which has no field table; known: " + DeviceModels.known());
        }
        if (!decoded.isObject()) {
            return whole(message, RejectReason.MISSING_DECODED_PAYLOAD, decodedPath + " must be an object, was "
                    + Rejections.show(decoded) + " (configure the device's payload formatter on the network server)");
        }
        long seq = frameCounter.isIntegralNumber() && frameCounter.canConvertToLong() && frameCounter.longValue() >= 0
                ? frameCounter.longValue() : 0;
        List<Reading> accepted = new ArrayList<>();
        List<Rejection> rejected = new ArrayList<>();
        int index = 0;
        for (Iterator<Map.Entry<String, JsonNode>> entries = decoded.fields(); entries.hasNext(); index++) {
            Map.Entry<String, JsonNode> entry = entries.next();
            DeviceModels.Field field = fields.get().get(entry.getKey());
            if (field == null) {
                continue;
            }
            try {
                accepted.add(reading(message, sensor, field, entry, time, seq));
            } catch (InvalidReading invalid) {
                rejected.add(Rejections.ofReading(message, index, fieldBytes(entry), invalid.reason,
                        entry.getKey() + ": " + invalid.getMessage()));
            }
        }
        if (accepted.isEmpty() && rejected.isEmpty()) {
            return whole(message, RejectReason.NO_SOIL_FIELDS, decodedPath + " has none of the fields "
                    + fields.get().keySet() + " of model " + sensor.model());
        }
        return new DecodeResult(accepted, rejected);
    }

    private Reading reading(IncomingMessage message, Sensor sensor, DeviceModels.Field field,
            Map.Entry<String, JsonNode> entry, JsonNode timeNode, long seq) throws InvalidReading {
        double value = Measurements.canonical(field.quantity(), number(entry.getValue(), field.unit()), field.unit());
        Instant time = Measurements.time(time(timeNode, message.receivedAt()), message.receivedAt(), futureTolerance);
        return Measurements.reading(message.gateway(), seq, sensor, field.quantity(), time, value, 0,
                Measurements.defaultBottomCm(field.quantity()), message.receivedAt());
    }

    private static double number(JsonNode node, String unit) throws InvalidReading {
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (!node.isTextual()) {
            throw new InvalidReading(RejectReason.INVALID_VALUE, "value must be a number or a numeric string, was "
                    + Rejections.show(node));
        }
        String text = node.textValue().strip();
        Matcher matcher = NUMBER_WITH_UNIT.matcher(text);
        if (text.length() > MAX_NUMERIC_TEXT || !matcher.matches()) {
            throw new InvalidReading(RejectReason.INVALID_VALUE, "value " + Rejections.show(node) + " is not a number");
        }
        String printed = matcher.group(2);
        if (!printed.isEmpty()) {
            String ucum = PRINTED_UNITS.get(printed);
            if (ucum == null) {
                throw new InvalidReading(RejectReason.UNKNOWN_UNIT, "value " + Rejections.show(node)
                        + " carries an unknown unit; expected " + unit);
            }
            if (!ucum.equals(unit)) {
                throw new InvalidReading(RejectReason.UNIT_MISMATCH, "value " + Rejections.show(node)
                        + " is in " + ucum + ", expected " + unit);
            }
        }
        return Double.parseDouble(matcher.group(1));
    }

    private static Instant time(JsonNode node, Instant receivedAt) throws InvalidReading {
        if (node.isMissingNode() || node.isNull()) {
            return receivedAt;
        }
        if (node.isTextual()) {
            try {
                return OffsetDateTime.parse(node.textValue()).toInstant();
            } catch (DateTimeException e) {
                // reported below
            }
        }
        throw new InvalidReading(RejectReason.INVALID_TIME, "the uplink's time " + Rejections.show(node)
                + " is not an ISO 8601 date-time with offset");
    }

    private static byte[] fieldBytes(Map.Entry<String, JsonNode> entry) {
        try {
            return Json.mapper().writeValueAsBytes(Map.of(entry.getKey(), entry.getValue()));
        } catch (JsonProcessingException e) {
            return entry.getKey().getBytes(StandardCharsets.UTF_8);
        }
    }

    private static DecodeResult whole(IncomingMessage message, RejectReason reason, String detail) {
        return DecodeResult.rejected(Rejections.ofMessage(message, reason, detail));
    }
}
