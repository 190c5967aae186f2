package org.soilobs.sim;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.soilobs.model.Json;
import org.soilobs.model.Quantity;
import org.soilobs.model.Sensor;

/**
 * The payload formats a simulated gateway can speak (DESIGN §3), each written field by field so the
 * same readings always give the same bytes. Shapes follow {@code ../shared/samples/}.
 *
 * <ul>
 *   <li>{@link #CANONICAL}: the observatory's batch on {@code soil/v1/{gateway}/up}, all five
 *       quantities, several report times per message;</li>
 *   <li>{@link #SENML}: RFC 8428 SenML JSON on {@code soil/v1/{gateway}/up}, base name
 *       {@code urn:dev:mac:{devEUI}:}, base time the first report (epoch seconds), relative times
 *       after it; {@code vwc_10cm} in {@code /} (ratio), {@code temp_10cm} in {@code Cel},
 *       {@code ec_10cm} in {@code S/m}, as in {@code senml-soil-probe.json};</li>
 *   <li>{@link #TTN}: The Things Stack v3 uplink of a Dragino LSE01 on
 *       {@code v3/{app}@{tenant}/devices/{sensor id}/up}, one report per uplink;</li>
 *   <li>{@link #CHIRPSTACK}: ChirpStack v4 {@code up} event of a Dragino LSE01 on
 *       {@code application/{application id}/device/{devEUI}/event/up}, one report per uplink.</li>
 * </ul>
 * The LSE01 formats carry {@code water_SOIL} (% as a string, 2 decimals), {@code temp_SOIL} (°C as a
 * string, 2 decimals), {@code conduct_SOIL} (µS/cm, an integer) and {@code Bat} (V), and the
 * uplink's real LSE01 bytes in {@code frm_payload}/{@code data}; the optional external DS18B20 probe
 * is not fitted (its bytes are 0 and its decoded field is left out).
 */
public enum WireFormat {
    CANONICAL("canonical", ReadingGenerator.QUANTITIES, Integer.MAX_VALUE),
    SENML("senml", List.of(Quantity.VWC, Quantity.SOIL_TEMPERATURE, Quantity.EC), Integer.MAX_VALUE),
    TTN("ttn", List.of(Quantity.VWC, Quantity.SOIL_TEMPERATURE, Quantity.EC), 1),
    CHIRPSTACK("chirpstack", List.of(Quantity.VWC, Quantity.SOIL_TEMPERATURE, Quantity.EC), 1);

    /** The device model of a probe behind a LoRaWAN network server. */
    public static final String LSE01_MODEL = "dragino-lse01";
    public static final String TTN_APPLICATION = "soil-observatory";
    public static final String TTN_TENANT = "ttn";
    public static final String CHIRPSTACK_APPLICATION = "17c82e96-be03-4f38-aef3-f83d48582d97";
    private static final String CHIRPSTACK_TENANT = "52f14cd4-c6f1-4fbd-8f87-4025e1d49242";
    private static final String CHIRPSTACK_PROFILE = "14855bf7-d10d-4aee-b618-ebfcb64dc7ad";
    private static final Map<Quantity, String> SENML_NAMES =
            Map.of(Quantity.VWC, "vwc_10cm", Quantity.SOIL_TEMPERATURE, "temp_10cm", Quantity.EC, "ec_10cm");
    private static final Map<Quantity, String> SENML_UNITS =
            Map.of(Quantity.VWC, "/", Quantity.SOIL_TEMPERATURE, "Cel", Quantity.EC, "S/m");
    private static final int LSE01_PORT = 2;

    private final String id;
    private final List<Quantity> quantities;
    private final int reportsPerMessage;

    WireFormat(String id, List<Quantity> quantities, int reportsPerMessage) {
        this.id = id;
        this.quantities = quantities;
        this.reportsPerMessage = reportsPerMessage;
    }

    public String id() {
        return id;
    }

    /** What a probe behind this format reports, in order. */
    public List<Quantity> quantities() {
        return quantities;
    }

    /** How many report times one message can carry: LoRaWAN uplinks carry one. */
    public int reportsPerMessage() {
        return reportsPerMessage;
    }

    /**
     * The sensor the observatory's registry must hold for a probe speaking this format, as ingest
     * resolves it: the probe id for canonical batches; the lower-case DevEUI for SenML (its base name's
     * last part) and for LoRaWAN uplinks, whose "gateway" is the network server application
     * ({@code app@tenant} for The Things Stack, the application id for ChirpStack).
     */
    public Sensor registeredSensor(SimulatedField member) {
        String device = deviceId(member.probe().id());
        return switch (this) {
            case CANONICAL -> member.probe();
            case SENML -> new Sensor(device, member.gateway(), member.id(), Fleet.PROBE_MODEL);
            case TTN -> new Sensor(device, TTN_APPLICATION + "@" + TTN_TENANT, member.id(), LSE01_MODEL);
            case CHIRPSTACK -> new Sensor(device, CHIRPSTACK_APPLICATION, member.id(), LSE01_MODEL);
        };
    }

    /** The sensor id the observatory reads from this format for a probe: the probe id or its DevEUI. */
    public String deviceId(String probe) {
        return this == CANONICAL ? probe : devEui(probe).toLowerCase(Locale.ROOT);
    }

    public static Optional<WireFormat> byId(String id) {
        for (WireFormat format : values()) {
            if (format.id.equals(id)) {
                return Optional.of(format);
            }
        }
        return Optional.empty();
    }

    /** The DevEUI of a simulated probe: Dragino's OUI A84041 and 40 bits of the sensor id's hash. */
    public static String devEui(String sensorId) {
        return DEV_EUIS.computeIfAbsent(sensorId, id -> String.format(Locale.ROOT, "A84041%010X",
                Noise.hash("deveui:" + id) & 0xFF_FFFF_FFFFL));
    }

    private static final Map<String, String> DEV_EUIS = new ConcurrentHashMap<>();

    /** The readings one report time of a probe sends, in {@link #quantities()} order. */
    public record Report(Instant time, List<CanonicalBatch.Reading> readings) {
    }

    /**
     * The messages of one device's reports: one message for all of them, or one each for LoRaWAN.
     *
     * @param seq the sequence number (or frame counter) of the first message
     */
    public List<RawMessage> encode(String gateway, long seq, String sensor, String field, List<Report> reports) {
        List<RawMessage> messages = new ArrayList<>();
        switch (this) {
            case CANONICAL -> {
                List<CanonicalBatch.Reading> all = new ArrayList<>();
                reports.forEach(report -> all.addAll(report.readings()));
                CanonicalBatch batch = new CanonicalBatch(gateway, seq, all);
                messages.add(new RawMessage(gateway, seq, batch.topic(), batch.payload(), all.size()));
            }
            case SENML -> messages.add(new RawMessage(gateway, seq, GatewayMessage.uplinkTopic(gateway),
                    senml(sensor, reports), reports.stream().mapToInt(r -> r.readings().size()).sum()));
            case TTN, CHIRPSTACK -> {
                long counter = seq;
                for (Report report : reports) {
                    String devEui = devEui(sensor);
                    String topic = this == TTN
                            ? "v3/" + TTN_APPLICATION + "@" + TTN_TENANT + "/devices/" + sensor + "/up"
                            : "application/" + CHIRPSTACK_APPLICATION + "/device/" + devEui.toLowerCase(Locale.ROOT)
                                    + "/event/up";
                    byte[] payload = this == TTN ? ttn(gateway, sensor, counter, report)
                            : chirpstack(gateway, sensor, field, counter, report);
                    messages.add(new RawMessage(gateway, counter, topic, payload, report.readings().size()));
                    counter++;
                }
            }
            default -> throw new IllegalStateException("unknown format " + this);
        }
        return messages;
    }

    private static byte[] senml(String sensor, List<Report> reports) {
        return write(json -> {
            json.writeStartArray();
            Instant base = reports.get(0).time();
            boolean first = true;
            for (Report report : reports) {
                for (CanonicalBatch.Reading reading : report.readings()) {
                    json.writeStartObject();
                    if (first) {
                        json.writeStringField("bn", "urn:dev:mac:" + devEui(sensor).toLowerCase(Locale.ROOT) + ":");
                        writeSeconds(json, "bt", base.toEpochMilli());
                    }
                    Quantity quantity = Quantity.byId(reading.quantity()).orElse(null);
                    json.writeStringField("n", quantity == null ? reading.quantity() : SENML_NAMES.get(quantity));
                    json.writeStringField("u", quantity == null ? reading.unit() : SENML_UNITS.get(quantity));
                    long offset = report.time().toEpochMilli() - base.toEpochMilli();
                    if (!first && offset != 0) {
                        writeSeconds(json, "t", offset);
                    }
                    json.writeNumberField("v", quantity == Quantity.EC ? Noise.round(reading.value() / 10, 5)
                            : reading.value());
                    json.writeEndObject();
                    first = false;
                }
            }
            json.writeEndArray();
        });
    }

    /** Seconds from milliseconds, written plainly: an integer when whole (as in the samples). */
    private static void writeSeconds(JsonGenerator json, String name, long millis) throws IOException {
        if (millis % 1000 == 0) {
            json.writeNumberField(name, millis / 1000);
        } else {
            json.writeFieldName(name);
            json.writeNumber(BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString());
        }
    }

    /** The LSE01 readings of a report, in LSE01 units, by quantity. */
    private record Lse01(String water, String temperature, long conductivity, double battery, byte[] bytes) {

        static Lse01 of(String sensor, long counter, Report report) {
            double vwc = 0;
            double temperature = 0;
            double ec = 0;
            for (CanonicalBatch.Reading reading : report.readings()) {
                switch (reading.quantity()) {
                    case "vwc" -> vwc = reading.value();
                    case "soil_temperature" -> temperature = reading.value();
                    case "ec" -> ec = reading.value();
                    default -> throw new IllegalArgumentException("an LSE01 does not send " + reading.quantity());
                }
            }
            long waterHundredths = Math.round(vwc * 10_000);
            long temperatureHundredths = Math.round(temperature * 100);
            long microSiemens = Math.round(ec * 1000);
            // A battery slowly draining from 3.65 V over about 4 000 uplinks.
            long millivolts = 3650 - Math.min(400, (counter + (Noise.hash(sensor) & 0x3FF)) / 10);
            ByteBuffer bytes = ByteBuffer.allocate(11)
                    .putShort((short) millivolts).putShort((short) 0).putShort((short) waterHundredths)
                    .putShort((short) temperatureHundredths).putShort((short) microSiemens).put((byte) 0x90);
            return new Lse01(String.format(Locale.ROOT, "%.2f", waterHundredths / 100.0),
                    String.format(Locale.ROOT, "%.2f", temperatureHundredths / 100.0), microSiemens,
                    millivolts / 1000.0, bytes.array());
        }

        void write(JsonGenerator json) throws IOException {
            json.writeNumberField("Bat", battery);
            json.writeNumberField("conduct_SOIL", conductivity);
            json.writeStringField("temp_SOIL", temperature);
            json.writeStringField("water_SOIL", water);
        }
    }

    private static byte[] ttn(String gateway, String sensor, long counter, Report report) {
        Lse01 lse01 = Lse01.of(sensor, counter, report);
        String devEui = devEui(sensor);
        long radio = Noise.key(Noise.hash(sensor), counter);
        return write(json -> {
            json.writeStartObject();
            json.writeObjectFieldStart("end_device_ids");
            json.writeStringField("device_id", sensor);
            json.writeObjectFieldStart("application_ids");
            json.writeStringField("application_id", TTN_APPLICATION);
            json.writeEndObject();
            json.writeStringField("dev_eui", devEui);
            json.writeStringField("join_eui", "A840410000000101");
            json.writeStringField("dev_addr", String.format(Locale.ROOT, "260B%04X", Noise.hash(sensor) & 0xFFFF));
            json.writeEndObject();
            json.writeStringField("received_at", report.time().plusMillis(113).toString());
            json.writeObjectFieldStart("uplink_message");
            json.writeNumberField("f_port", LSE01_PORT);
            json.writeNumberField("f_cnt", counter);
            json.writeStringField("frm_payload", Base64.getEncoder().encodeToString(lse01.bytes()));
            json.writeObjectFieldStart("decoded_payload");
            lse01.write(json);
            json.writeEndObject();
            json.writeArrayFieldStart("rx_metadata");
            json.writeStartObject();
            json.writeObjectFieldStart("gateway_ids");
            json.writeStringField("gateway_id", gateway);
            json.writeEndObject();
            json.writeNumberField("rssi", -60 - (radio & 0x3F));
            json.writeNumberField("snr", ((radio >>> 8) & 0x1F) / 2.0 - 5);
            json.writeEndObject();
            json.writeEndArray();
            json.writeStringField("received_at", report.time().toString());
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    private static byte[] chirpstack(String gateway, String sensor, String field, long counter, Report report) {
        Lse01 lse01 = Lse01.of(sensor, counter, report);
        long radio = Noise.key(Noise.hash(sensor), counter);
        return write(json -> {
            json.writeStartObject();
            json.writeStringField("deduplicationId", uuid(Noise.key(radio, 1)));
            json.writeStringField("time", report.time().toString());
            json.writeObjectFieldStart("deviceInfo");
            json.writeStringField("tenantId", CHIRPSTACK_TENANT);
            json.writeStringField("tenantName", "Soil observatory");
            json.writeStringField("applicationId", CHIRPSTACK_APPLICATION);
            json.writeStringField("applicationName", "soil-sensors");
            json.writeStringField("deviceProfileId", CHIRPSTACK_PROFILE);
            json.writeStringField("deviceProfileName", "Dragino LSE01");
            json.writeStringField("deviceName", sensor);
            json.writeStringField("devEui", devEui(sensor).toLowerCase(Locale.ROOT));
            json.writeObjectFieldStart("tags");
            json.writeStringField("field", field);
            json.writeEndObject();
            json.writeEndObject();
            json.writeStringField("devAddr", String.format(Locale.ROOT, "0018%04x", Noise.hash(sensor) & 0xFFFF));
            json.writeNumberField("dr", 5);
            json.writeNumberField("fPort", LSE01_PORT);
            json.writeNumberField("fCnt", counter);
            json.writeStringField("data", Base64.getEncoder().encodeToString(lse01.bytes()));
            json.writeObjectFieldStart("object");
            lse01.write(json);
            json.writeEndObject();
            json.writeArrayFieldStart("rxInfo");
            json.writeStartObject();
            json.writeStringField("gatewayId", String.format(Locale.ROOT, "%016x", Noise.hash("gw:" + gateway)));
            json.writeNumberField("rssi", -60 - (radio & 0x3F));
            json.writeNumberField("snr", ((radio >>> 8) & 0x1F) / 2.0 - 5);
            json.writeEndObject();
            json.writeEndArray();
            json.writeObjectFieldStart("txInfo");
            json.writeNumberField("frequency", 868_100_000L + 200_000L * ((radio >>> 16) & 0x3));
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    private static String uuid(long key) {
        long low = Noise.mix(key);
        return String.format(Locale.ROOT, "%08x-%04x-4%03x-8%03x-%012x", key >>> 32, (key >>> 16) & 0xFFFF,
                key & 0xFFF, low >>> 52, low & 0xFFFF_FFFF_FFFFL);
    }

    private interface Writer {
        void write(JsonGenerator json) throws IOException;
    }

    private static byte[] write(Writer writer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator json = Json.mapper().getFactory().createGenerator(out)) {
            writer.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a message to memory", e);
        }
        return out.toByteArray();
    }

    /**
     * The value the observatory recovers from this format for a generated canonical value: LSE01
     * strings carry 2 decimals of %, integers of µS/cm.
     */
    public double wireValue(Quantity quantity, double value) {
        if (this == TTN || this == CHIRPSTACK) {
            return switch (quantity) {
                case VWC -> Math.round(value * 10_000) / 10_000.0;
                case SOIL_TEMPERATURE -> Math.round(value * 100) / 100.0;
                case EC -> Math.round(value * 1000) / 1000.0;
                default -> value;
            };
        }
        return value;
    }
}
