package org.soilobs.ingest.decode;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.soilobs.ingest.registry.SensorRegistry;
import org.soilobs.model.Quantity;
import org.soilobs.model.Reading;
import org.soilobs.model.Rejection;
import org.soilobs.model.Sensor;

/**
 * SenML JSON packs (RFC 8428): an array of records, each a reading.
 *
 * <pre>{@code
 * [{"bn":"urn:dev:mac:0024befffe804ff1:","bt":1795168800,"n":"vwc_10cm","u":"/","v":0.274},
 *  {"n":"temp_10cm","u":"Cel","v":11.8},
 *  {"n":"vwc_10cm","u":"/","t":900,"v":0.276}]
 * }</pre>
 *
 * <p><b>Resolution (RFC 8428 §4.6).</b> Base fields ({@code bn}, {@code bt}, {@code bu}, {@code bv},
 * {@code bver}) apply to their record and every later one until replaced. A record's name is
 * {@code bn + n}, its time {@code bt + t} in seconds (a result below 2<sup>28</sup> is relative to the
 * receive time, e.g. {@code -5} is five seconds ago), its value {@code bv + v}, its unit {@code u} or else
 * {@code bu}. Repeated names are separate readings (a time series). {@code ut} and unknown fields are
 * ignored; a field ending in {@code _} is one the sender requires to be understood, so the whole pack is
 * rejected ({@code unsupported_mandatory_field}), as is a {@code bver} above {@value #VERSION}
 * ({@code unsupported_schema}) or an ill-typed base field ({@code invalid_batch}).
 *
 * <p><b>Names.</b> The name's last segment after {@code :} or {@code /} is the measurement, what comes
 * before is the device: {@code urn:dev:mac:0024befffe804ff1:vwc_10cm} is measurement {@code vwc_10cm}
 * of device {@code urn:dev:mac:0024befffe804ff1}. The device is the registered sensor id; for an
 * {@code urn:dev:…} name that is not registered as such, its last part in lower case (the MAC or
 * EUI-64, e.g. {@code 0024befffe804ff1}) is tried, the same convention as a LoRaWAN DevEUI. The
 * measurement is a quantity (its id or an alias: {@code temp}, {@code moisture}, {@code conductivity},
 * …) with an optional depth suffix: {@code _10cm} is the layer 0–10 cm, {@code _10-30cm} the layer
 * 10–30 cm; without one the layer defaults as in the canonical batch.
 *
 * <p><b>Values.</b> Only {@code v} (a JSON number) is a numeric value: a record with {@code vs},
 * {@code vb} or {@code vd} instead, or with {@code v} as a string, is {@code invalid_value}. Units are
 * the UCUM codes of {@link Units} ({@code /} is a ratio, {@code S/m} siemens per metre). SenML carries
 * no sequence number: the readings' {@code seq} is 0.
 */
public final class SenmlDecoder implements PayloadDecoder {

    public static final String FORMAT = "senml";
    /** The SenML version this decoder implements (RFC 8428's default). */
    public static final int VERSION = 10;
    /** RFC 8428 §4.5.3: times below 2^28 s are relative to now. */
    static final double RELATIVE_TIME_LIMIT = 268_435_456;
    // Beyond this the seconds do not fit an Instant; the year 5000 is far past any valid time anyway.
    private static final double MAX_ABS_SECONDS = 1e11;

    private static final Map<String, Quantity> ALIASES = aliases();
    private static final int MAX_MEASUREMENT_CHARS = 64;
    private static final Pattern MEASUREMENT = Pattern.compile("(.+?)(?:_(\\d{1,4})(?:-(\\d{1,4}))?cm)?");

    private final SensorRegistry registry;
    private final Duration futureTolerance;

    public SenmlDecoder(SensorRegistry registry, Duration futureTolerance) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.futureTolerance = Objects.requireNonNull(futureTolerance, "futureTolerance");
    }

    private static Map<String, Quantity> aliases() {
        Map<String, Quantity> aliases = new HashMap<>();
        // a derived quantity (soc_stock) is computed downstream, never taken from a gateway
        for (Quantity quantity : Quantity.measured()) {
            aliases.put(quantity.id(), quantity);
        }
        aliases.put("moisture", Quantity.VWC);
        aliases.put("soil_moisture", Quantity.VWC);
        aliases.put("temp", Quantity.SOIL_TEMPERATURE);
        aliases.put("temperature", Quantity.SOIL_TEMPERATURE);
        aliases.put("soil_temp", Quantity.SOIL_TEMPERATURE);
        aliases.put("conductivity", Quantity.EC);
        aliases.put("soil_ec", Quantity.EC);
        aliases.put("bd", Quantity.BULK_DENSITY);
        return Map.copyOf(aliases);
    }

    @Override
    public String format() {
        return FORMAT;
    }

    /** An array whose first record is an object (an empty array is an empty pack). */
    @Override
    public boolean recognises(JsonNode root) {
        return root.isArray() && (root.isEmpty() || root.get(0).isObject());
    }

    @Override
    public DecodeResult decode(IncomingMessage message, JsonNode root) {
        Optional<Rejection> packProblem = checkPack(message, root);
        if (packProblem.isPresent()) {
            return DecodeResult.rejected(packProblem.get());
        }
        List<Reading> accepted = new ArrayList<>(root.size());
        List<Rejection> rejected = new ArrayList<>();
        List<byte[]> originals = null;
        Base base = new Base();
        for (int index = 0; index < root.size(); index++) {
            JsonNode record = root.get(index);
            try {
                if (!record.isObject()) {
                    throw new InvalidReading(RejectReason.INVALID_READING, "a SenML record must be an object, was "
                            + Rejections.show(record));
                }
                base.update(record);
                accepted.add(reading(record, base, message));
            } catch (InvalidReading invalid) {
                if (originals == null) {
                    originals = ArraySlices.ofRoot(message.payload()).filter(slices -> slices.size() == root.size())
                            .orElse(List.of());
                }
                rejected.add(originals.isEmpty()
                        ? Rejections.ofReading(message, index, record, invalid.reason, invalid.getMessage())
                        : Rejections.ofReading(message, index, originals.get(index), invalid.reason,
                                invalid.getMessage()));
            }
        }
        return new DecodeResult(accepted, rejected);
    }

    // What makes the whole pack unreadable: base fields resolve across records, so one bad base field
    // would misattribute every later record.
    private static Optional<Rejection> checkPack(IncomingMessage message, JsonNode root) {
        for (int index = 0; index < root.size(); index++) {
            JsonNode record = root.get(index);
            if (!record.isObject()) {
                continue;
            }
            for (Iterator<String> names = record.fieldNames(); names.hasNext();) {
                String name = names.next();
                if (name.endsWith("_")) {
                    return Optional.of(Rejections.ofMessage(message, RejectReason.UNSUPPORTED_MANDATORY_FIELD,
                            "record " + index + " has field " + Rejections.quote(name) + ", which must be understood "
                                    + "(RFC 8428 §4.4) and is not"));
                }
            }
            String problem = baseFieldProblem(record);
            if (problem != null) {
                return Optional.of(Rejections.ofMessage(message, RejectReason.INVALID_BATCH,
                        "record " + index + ": " + problem));
            }
            JsonNode version = record.get("bver");
            if (version != null && version.intValue() > VERSION) {
                return Optional.of(Rejections.ofMessage(message, RejectReason.UNSUPPORTED_SCHEMA, "SenML version "
                        + Rejections.show(version) + " is newer than the supported " + VERSION));
            }
        }
        return Optional.empty();
    }

    private static String baseFieldProblem(JsonNode record) {
        for (String text : List.of("bn", "bu")) {
            JsonNode node = record.get(text);
            if (node != null && !node.isTextual()) {
                return text + " must be a string, was " + Rejections.show(node);
            }
        }
        for (String number : List.of("bt", "bv", "bs")) {
            JsonNode node = record.get(number);
            if (node != null && (!node.isNumber() || !Double.isFinite(node.doubleValue()))) {
                return number + " must be a finite number, was " + Rejections.show(node);
            }
        }
        JsonNode version = record.get("bver");
        if (version != null && (!version.isIntegralNumber() || !version.canConvertToInt() || version.intValue() < 1)) {
            return "bver must be a positive integer, was " + Rejections.show(version);
        }
        return null;
    }

    private Reading reading(JsonNode record, Base base, IncomingMessage message) throws InvalidReading {
        JsonNode nameNode = record.path("n");
        if (!nameNode.isMissingNode() && !nameNode.isTextual()) {
            throw new InvalidReading(RejectReason.INVALID_READING, "n must be a string, was "
                    + Rejections.show(nameNode));
        }
        String name = base.name + nameNode.asText("");
        int split = Math.max(name.lastIndexOf(':'), name.lastIndexOf('/'));
        String device = split < 0 ? "" : name.substring(0, split);
        String last = name.substring(split + 1);
        Matcher measurement = MEASUREMENT.matcher(last);
        Quantity quantity = last.length() <= MAX_MEASUREMENT_CHARS && measurement.matches()
                ? ALIASES.get(measurement.group(1).toLowerCase(Locale.ROOT)) : null;
        if (quantity == null) {
            throw new InvalidReading(RejectReason.UNKNOWN_QUANTITY, "name " + Rejections.quote(name)
                    + " names no soil quantity (expected <device>:<quantity>[_<depth>cm], e.g. vwc_10cm)");
        }
        String unit = unit(record, base);
        double value = Measurements.canonical(quantity, value(record, base), unit);
        Instant time = Measurements.time(time(record, base, message.receivedAt()), message.receivedAt(),
                futureTolerance);
        int[] depth = depth(measurement, quantity);
        Sensor sensor = Measurements.registered(registry, sensorId(device), message.gateway());
        return Measurements.reading(message.gateway(), 0, sensor, quantity, time, value, depth[0], depth[1],
                message.receivedAt());
    }

    private static String unit(JsonNode record, Base base) throws InvalidReading {
        JsonNode unit = record.get("u");
        if (unit == null) {
            if (base.unit == null) {
                throw new InvalidReading(RejectReason.UNKNOWN_UNIT, "the record has no unit (u) and the pack no bu");
            }
            return base.unit;
        }
        if (!unit.isTextual()) {
            throw new InvalidReading(RejectReason.UNKNOWN_UNIT, "u must be a string, was " + Rejections.show(unit));
        }
        return unit.textValue();
    }

    private static double value(JsonNode record, Base base) throws InvalidReading {
        JsonNode value = record.get("v");
        if (value == null) {
            for (String other : List.of("vs", "vb", "vd")) {
                if (record.has(other)) {
                    throw new InvalidReading(RejectReason.INVALID_VALUE, other + " "
                            + Rejections.show(record.get(other)) + " is not a number; soil quantities need a numeric "
                            + "value v");
                }
            }
            throw new InvalidReading(RejectReason.INVALID_VALUE, "the record has no value v");
        }
        if (!value.isNumber()) {
            throw new InvalidReading(RejectReason.INVALID_VALUE, "v must be a number, was " + Rejections.show(value));
        }
        return base.value + value.doubleValue();
    }

    private static Instant time(JsonNode record, Base base, Instant receivedAt) throws InvalidReading {
        JsonNode offset = record.get("t");
        if (offset != null && !offset.isNumber()) {
            throw new InvalidReading(RejectReason.INVALID_TIME, "t must be a number of seconds, was "
                    + Rejections.show(offset));
        }
        double seconds = base.time + (offset == null ? 0 : offset.doubleValue());
        if (!Double.isFinite(seconds) || Math.abs(seconds) > MAX_ABS_SECONDS) {
            throw new InvalidReading(RejectReason.INVALID_TIME, "time " + seconds + " s is out of range");
        }
        Instant reference = seconds < RELATIVE_TIME_LIMIT ? receivedAt : Instant.EPOCH;
        double whole = Math.floor(seconds);
        return reference.plusSeconds((long) whole).plusNanos(Math.round((seconds - whole) * 1e9));
    }

    private static int[] depth(Matcher measurement, Quantity quantity) throws InvalidReading {
        if (measurement.group(2) == null) {
            return new int[] {0, Measurements.defaultBottomCm(quantity)};
        }
        int first = Integer.parseInt(measurement.group(2));
        int top = measurement.group(3) == null ? 0 : first;
        int bottom = measurement.group(3) == null ? first : Integer.parseInt(measurement.group(3));
        if (top > bottom || bottom > CanonicalDecoder.MAX_DEPTH_CM) {
            throw new InvalidReading(RejectReason.INVALID_DEPTH, "depth " + top + "-" + bottom + " cm must satisfy "
                    + "0 <= top <= bottom <= " + CanonicalDecoder.MAX_DEPTH_CM);
        }
        return new int[] {top, bottom};
    }

    // The registered id, else for urn:dev:<kind>:<id> the bare id in lower case (a MAC or EUI-64).
    private String sensorId(String device) throws InvalidReading {
        if (device.isBlank()) {
            throw new InvalidReading(RejectReason.UNKNOWN_SENSOR, "the name has no device part (set bn, e.g. "
                    + "urn:dev:mac:0024befffe804ff1:)");
        }
        if (registry.find(device).isEmpty() && device.startsWith("urn:dev:")) {
            return device.substring(device.lastIndexOf(':') + 1).toLowerCase(Locale.ROOT);
        }
        return device;
    }

    /** The base fields in force, updated record by record. */
    private static final class Base {
        String name = "";
        String unit;
        double time;
        double value;

        void update(JsonNode record) {
            if (record.has("bn")) {
                name = record.get("bn").textValue();
            }
            if (record.has("bu")) {
                unit = record.get("bu").textValue();
            }
            if (record.has("bt")) {
                time = record.get("bt").doubleValue();
            }
            if (record.has("bv")) {
                value = record.get("bv").doubleValue();
            }
        }
    }
}
